import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startRepeater } from './repeater.bootstrap';

startRepeater()
  .then(({ port, config }) =>
    new Logger('Repeater').log(`repeater ${config.repeaterId} listening on port ${port}`),
  )
  .catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
