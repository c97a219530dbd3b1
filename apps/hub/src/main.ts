import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import {
  exitCleanlyOnSignals,
  readEnvironment,
  reportStartupFailure,
  reportStartupWarning,
} from '@ces/server-kit';
import { startHub } from './hub.bootstrap';
import {
  HUB_STARTUP,
  unknownHubSettings,
  validateHubEnvironment,
} from './config/validate-hub-environment';

/**
 * `node main.js` starts the hub; `node main.js --check` only validates its configuration
 * (environment over .env) and exits 0 or 1. The configuration is checked before Nest starts,
 * so a bad setting is one plain line on stderr, not a stack trace from Nest's loader.
 */
async function main(): Promise<void> {
  const raw = readEnvironment();
  for (const warning of unknownHubSettings(raw)) reportStartupWarning(warning, HUB_STARTUP);
  validateHubEnvironment(raw);
  if (process.argv.includes('--check')) {
    process.stdout.write('hub: the configuration is valid\n');
    return;
  }
  const logger = new Logger('Hub');
  const { app, config, port } = await startHub();
  exitCleanlyOnSignals(app, logger);
  logger.log(`hub ${config.hubId} listening on port ${port}`);
}

main().catch((error: unknown) => {
  reportStartupFailure(error, HUB_STARTUP);
  process.exit(1);
});
