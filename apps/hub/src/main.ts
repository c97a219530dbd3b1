import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startHub } from './hub.bootstrap';

startHub()
  .then(({ config, port }) =>
    new Logger('Hub').log(`hub ${config.hubId} listening on port ${port}`),
  )
  .catch((error: Error) => {
    // Configuration errors name the setting; print them plainly and stop.
    console.error(error.message);
    process.exit(1);
  });
