import { LoggerModule } from 'nestjs-pino';
import { appLoggerParams } from '@ces/server-kit';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';

/**
 * Structured logs for the repeater (nestjs-pino), as for the hub: JSON lines at LOG_LEVEL,
 * pretty at a terminal, probes and scrapes not request-logged, and the event endpoints
 * (`POST /send`, `POST /event`: one request per event) only at debug.
 */
export const RepeaterLoggerModule = LoggerModule.forRootAsync({
  inject: [REPEATER_CONFIG],
  useFactory: (config: RepeaterConfig) =>
    appLoggerParams({
      level: config.logLevel,
      format: config.logFormat,
      base: { app: 'repeater', repeaterId: config.repeaterId },
      quietPaths: ['/health', '/metrics'],
      eventPaths: ['/send', '/event'],
    }),
});
