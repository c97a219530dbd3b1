import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * One setting of an app: its default and the class-validator rules its value must pass.
 * Apps declare their settings as a table of these, so that what the two servers share
 * (listening, credentials, connection limits, audit, logs) is declared once.
 */
export interface SettingRule<T> {
  readonly defaultValue: T;
  readonly rules: readonly PropertyDecorator[];
}

/** Settings by name. */
export type SettingTable = Record<string, SettingRule<unknown>>;

/** The typed values of a table's settings. */
export type SettingsOf<S extends SettingTable> = { [K in keyof S]: S[K]['defaultValue'] };

/** Bounds of a whole number; startup errors say `message` instead of the bounds when given. */
export interface RangeOptions {
  min?: number;
  max?: number;
  /** What is allowed, said in words, when the bounds alone do not say why. */
  message?: string;
}

export function wholeNumber(defaultValue: number, range: RangeOptions = {}): SettingRule<number> {
  const message = range.message ? { message: range.message } : undefined;
  const rules = [IsInt(message)];
  if (range.min !== undefined) rules.push(Min(range.min, message));
  if (range.max !== undefined) rules.push(Max(range.max, message));
  return { defaultValue, rules };
}

export function text(
  defaultValue = '',
  pattern?: { matches: RegExp; message: string },
): SettingRule<string> {
  const rules = [IsString()];
  if (pattern) rules.push(Matches(pattern.matches, { message: pattern.message }));
  return { defaultValue, rules };
}

export function flag(defaultValue: boolean): SettingRule<boolean> {
  return { defaultValue, rules: [IsBoolean()] };
}

export function oneOf<const T extends readonly string[]>(
  values: T,
  defaultValue: NoInfer<T[number]>,
): SettingRule<T[number]> {
  return { defaultValue, rules: [IsIn(values as unknown as string[])] };
}

/** A setting with no default, checked only when it is set (`NODE_ENV`). */
export function optionalOneOf<const T extends readonly string[]>(
  values: T,
): SettingRule<T[number] | undefined> {
  return { defaultValue: undefined, rules: [IsOptional(), IsIn(values as unknown as string[])] };
}

/** The table with every name given a prefix: `{ PORT }` as `HUB_PORT`. */
export type Prefixed<P extends string, S extends SettingTable> = {
  [K in keyof S & string as `${P}_${K}`]: S[K];
};

export function prefixed<P extends string, S extends SettingTable>(
  prefix: P,
  table: S,
): Prefixed<P, S> {
  const entries = Object.entries(table).map(([name, rule]) => [`${prefix}_${name}`, rule]);
  return Object.fromEntries(entries) as Prefixed<P, S>;
}

/**
 * A class whose instances hold the table's defaults and whose properties carry its rules,
 * which is what @nestjs/config's validation (class-transformer and class-validator) reads.
 */
export function settingsClass<S extends SettingTable>(
  name: string,
  table: S,
): new () => SettingsOf<S> {
  class Settings {
    constructor() {
      for (const [setting, rule] of Object.entries(table))
        (this as Record<string, unknown>)[setting] = rule.defaultValue;
    }
  }
  for (const [setting, rule] of Object.entries(table)) {
    for (const decorate of rule.rules) decorate(Settings.prototype, setting);
  }
  Object.defineProperty(Settings, 'name', { value: name });
  return Settings as unknown as new () => SettingsOf<S>;
}

/** Reads a table's settings by their unprefixed names out of an app's prefixed settings. */
export type SettingReader<S extends SettingTable> = <K extends keyof S & string>(
  name: K,
) => S[K]['defaultValue'];

export function settingReader<S extends SettingTable>(
  settings: object,
  prefix: string,
  _table: S,
): SettingReader<S> {
  const values = settings as Record<string, unknown>;
  return (name) => values[`${prefix}_${name}`] as never;
}
