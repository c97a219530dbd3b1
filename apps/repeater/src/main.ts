import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { exitCleanlyOnSignals } from '@ces/server-kit';
import { startRepeater } from './repeater.bootstrap';

const logger = new Logger('Repeater');

startRepeater()
  .then(({ app, config, port }) => {
    exitCleanlyOnSignals(app, logger);
    logger.log(`repeater ${config.repeaterId} listening on port ${port}`);
  })
  .catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
