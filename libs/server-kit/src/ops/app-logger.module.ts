import type { DynamicModule, InjectionToken } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppLogOptions, appLoggerParams } from './pino-params';

/** Probes and scrapes: never request-logged. */
const QUIET_PATHS = ['/health', '/metrics'];

/**
 * Structured logs for an app (nestjs-pino): JSON lines at LOG_LEVEL, pretty at a terminal,
 * probes and scrapes not request-logged, and the event endpoints (one request per event)
 * only at debug, so the default level never writes a line per event. `describe` reads the
 * app's settings from `configToken`.
 */
export function appLoggerModule<C>(
  configToken: InjectionToken,
  describe: (config: C) => Omit<AppLogOptions, 'quietPaths'>,
): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [configToken],
    useFactory: (config: C) => appLoggerParams({ quietPaths: QUIET_PATHS, ...describe(config) }),
  });
}
