import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import {
  exitCleanlyOnSignals,
  readEnvironment,
  reportStartupFailure,
  reportStartupWarning,
} from '@ces/server-kit';
import { startRepeater } from './repeater.bootstrap';
import {
  REPEATER_STARTUP,
  unknownRepeaterSettings,
  validateRepeaterEnvironment,
} from './config/validate-repeater-environment';

/**
 * `node main.js` starts the repeater; `node main.js --check` only validates its configuration
 * (environment over .env) and exits 0 or 1. The configuration is checked before Nest starts,
 * so a bad setting is one plain line on stderr, not a stack trace from Nest's loader.
 */
async function main(): Promise<void> {
  const raw = readEnvironment();
  for (const warning of unknownRepeaterSettings(raw))
    reportStartupWarning(warning, REPEATER_STARTUP);
  validateRepeaterEnvironment(raw);
  if (process.argv.includes('--check')) {
    process.stdout.write('repeater: the configuration is valid\n');
    return;
  }
  const logger = new Logger('Repeater');
  const { app, config, port } = await startRepeater();
  exitCleanlyOnSignals(app, logger);
  logger.log(`repeater ${config.repeaterId} listening on port ${port}`);
}

main().catch((error: unknown) => {
  reportStartupFailure(error, REPEATER_STARTUP);
  process.exit(1);
});
