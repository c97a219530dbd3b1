import 'reflect-metadata';
import { runMain } from '@ces/server-kit';
import {
  HUB_STARTUP,
  unknownHubSettings,
  validateHubEnvironment,
} from './config/validate-hub-environment';
import { startHub } from './hub.bootstrap';

runMain({
  startup: HUB_STARTUP,
  validate: validateHubEnvironment,
  unknownSettings: unknownHubSettings,
  start: startHub,
  started: (config) => `hub ${config.hubId}`,
});
