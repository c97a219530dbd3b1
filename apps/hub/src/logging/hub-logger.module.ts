import { LoggerModule } from 'nestjs-pino';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { appLoggerParams } from '@ces/server-kit';

/**
 * Structured logs for the hub (nestjs-pino): JSON lines at LOG_LEVEL, pretty at a
 * terminal. Probes and scrapes are not request-logged, and `POST /event` only at debug:
 * the hub never writes a line per routed event at the default level.
 */
export const HubLoggerModule = LoggerModule.forRootAsync({
  inject: [HUB_CONFIG],
  useFactory: (config: HubConfig) =>
    appLoggerParams({
      level: config.logLevel,
      format: config.logFormat,
      base: { app: 'hub', hubId: config.hubId },
      quietPaths: ['/health', '/metrics'],
      eventPaths: ['/event'],
    }),
});
