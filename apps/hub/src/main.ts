import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { exitCleanlyOnSignals } from '@ces/server-kit';
import { startHub } from './hub.bootstrap';

const logger = new Logger('Hub');

startHub()
  .then(({ app, config, port }) => {
    exitCleanlyOnSignals(app, logger);
    logger.log(`hub ${config.hubId} listening on port ${port}`);
  })
  .catch((error: Error) => {
    // Configuration errors name the setting; print them plainly and stop.
    console.error(error.message);
    process.exit(1);
  });
