import type {
  DynamicModule,
  FactoryProvider,
  InjectionToken,
  Provider,
  Type,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { httpAccessProviders } from './http/http-access.providers';
import type { HttpAccess } from './http/http-access';
import type { LogFormat, LogLevel } from './log-levels';
import { appLoggerModule } from './ops/app-logger.module';
import {
  DASHBOARD,
  Dashboard,
  DashboardController,
  DashboardStreamController,
} from './ops/dashboard.controller';
import { HealthCheckLogger } from './ops/health-check-logger';
import { AppHealthCheck, HEALTH_CHECKS, HealthController } from './ops/health.controller';
import { MetricsModule } from './ops/metrics.module';
import type { UpgradeGuard } from './upgrade-refusal';
import { ENV_FILE, validateEnvironment } from './settings';

/** What the logger reads of an app's settings. */
export interface AppLogConfig {
  logLevel: LogLevel;
  logFormat?: LogFormat;
}

/** Settings given in code (tests start apps this way); they override the environment. */
export type AppSettings<E> = Partial<Record<keyof E, string | number | boolean>>;

/** The app's validated settings, whichever app it is (`serveApp` reads them here). */
export const APP_CONFIG = Symbol('ces:app-config');
/** The app's OpenAPI title, description and version. */
export const APP_DOCS = Symbol('ces:app-docs');
/** The app's websocket upgrade guard, or null. */
export const UPGRADE_GUARD = Symbol('ces:upgrade-guard');

export interface AppDocs {
  title: string;
  description: string;
  version?: string;
}

type Factory<T> = Omit<FactoryProvider<T>, 'provide'>;

/** What makes one app (the hub, the repeater) different from the other. */
export interface AppParts<E extends object, C extends AppLogConfig> {
  module: Type;
  /** `hub` or `repeater`: the key of its settings, and the `app` field of its logs. */
  name: string;
  environment: new () => E;
  /** The app's own validation (settings that need more than decorators); by default the decorators'. */
  validate?: (raw: Record<string, unknown>) => E;
  settings: AppSettings<E>;
  config: { token: InjectionToken; from: (config: ConfigService) => C };
  /** Fields on every log line, e.g. `{ hubId }`. */
  logFields: (config: C) => Record<string, string>;
  /** Paths where one request is one event: logged at debug only. */
  eventPaths: readonly string[];
  docs: AppDocs;
  /** Where tokens are verified and refusals counted (see `HttpAccess`). */
  access: {
    verifier: InjectionToken<HttpAccess['verifier']>;
    refusals: InjectionToken<HttpAccess['refusals']>;
  };
  health: Factory<AppHealthCheck[]>;
  dashboard: Factory<Dashboard>;
  upgradeGuard?: Factory<UpgradeGuard>;
  /** Collectors the metrics module provides and exports. */
  metrics?: Provider[];
  controllers: Type[];
  providers: Provider[];
}

/**
 * An app of this system as one module: its validated environment, pino logs, metrics,
 * health, dashboard, REST access rules, OpenAPI description, and its own parts. The module
 * is global, so that the logger's factory and the shared controllers find the app's providers.
 */
export function appModule<E extends object, C extends AppLogConfig>(
  parts: AppParts<E, C>,
): DynamicModule {
  const { token } = parts.config;
  const validate = parts.validate ?? ((raw) => validateEnvironment(parts.environment, raw));
  return {
    module: parts.module,
    global: true,
    exports: [token],
    imports: [
      ConfigModule.forRoot({
        // .env in the working directory, under the process environment (which wins).
        envFilePath: ENV_FILE,
        skipProcessEnv: true,
        // The settings are returned as one object: Nest copies string values of a validated
        // config back into process.env, which would leak one app's settings into the next.
        validate: (env) => ({ [parts.name]: validate({ ...env, ...parts.settings }) }),
      }),
      TerminusModule.forRoot({ logger: HealthCheckLogger }),
      appLoggerModule(token, (config: C) => ({
        level: config.logLevel,
        format: config.logFormat,
        base: { app: parts.name, ...parts.logFields(config) },
        eventPaths: parts.eventPaths,
      })),
      MetricsModule.forRoot(parts.metrics),
    ],
    controllers: [
      HealthController,
      DashboardController,
      DashboardStreamController,
      ...parts.controllers,
    ],
    providers: [
      { provide: token, inject: [ConfigService], useFactory: parts.config.from },
      { provide: APP_CONFIG, useExisting: token },
      { provide: APP_DOCS, useValue: parts.docs },
      { provide: UPGRADE_GUARD, ...(parts.upgradeGuard ?? { useValue: null }) },
      { provide: HEALTH_CHECKS, ...parts.health },
      { provide: DASHBOARD, ...parts.dashboard },
      ...httpAccessProviders(parts.access.verifier, parts.access.refusals),
      ...parts.providers,
    ],
  };
}
