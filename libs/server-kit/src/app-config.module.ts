import type { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnvironment } from './validate-environment';

/** Settings given in code (tests start apps this way); they override the environment. */
export type AppSettings<E> = Partial<Record<keyof E, string | number | boolean>>;

/**
 * The app's environment, validated at startup, under `key` of the ConfigService. The
 * settings are returned as one object: Nest copies string values of a validated config
 * back into process.env, which would leak one app's settings into the next in a process.
 */
export function appConfigModule<E extends object>(
  key: string,
  environment: new () => E,
  settings: AppSettings<E>,
): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    ignoreEnvFile: true,
    skipProcessEnv: true,
    validate: (env) => ({ [key]: validateEnvironment(environment, { ...env, ...settings }) }),
  });
}
