import 'reflect-metadata';
import { runMain } from '@ces/server-kit';
import {
  REPEATER_STARTUP,
  unknownRepeaterSettings,
  validateRepeaterEnvironment,
} from './config/validate-repeater-environment';
import { startRepeater } from './repeater.bootstrap';

runMain({
  startup: REPEATER_STARTUP,
  validate: validateRepeaterEnvironment,
  unknownSettings: unknownRepeaterSettings,
  start: startRepeater,
  started: (config) => `repeater ${config.repeaterId}`,
});
