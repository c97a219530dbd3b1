import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { parse as parseDotenv } from 'dotenv';

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** The file both apps read settings from, in the working directory (as @nestjs/config does). */
export const ENV_FILE = '.env';

/** One setting that stops the start: its name, the value given, and what it may be. */
export interface SettingProblem {
  setting: string;
  value: unknown;
  allowed: string;
}

/** `HUB_PORT="abc" is not valid: a whole number from 0 to 65535`: the one line a problem gets. */
export function describeProblem({ setting, value, allowed }: SettingProblem): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `${setting}=${JSON.stringify(shown)} is not valid: ${allowed}`;
}

/** A configuration that cannot start the app: one problem per bad setting. */
export class ConfigurationError extends Error {
  constructor(readonly problems: SettingProblem[]) {
    super(problems.map(describeProblem).join('\n'));
    this.name = 'ConfigurationError';
  }
}

/**
 * A check beyond the decorators, for a setting whose value has its own grammar (a list of
 * addresses, a file to read): returns what is allowed when the value is not, else undefined.
 */
export type SettingCheck = (value: never, settings: Record<string, unknown>) => string | undefined;

export interface ValidateOptions<T> {
  checks?: Partial<Record<keyof T & string, SettingCheck>>;
}

/**
 * Converts what the environment gives (strings) to the typed settings. Any bad value throws
 * a ConfigurationError naming each bad setting once, with the value and what is allowed.
 */
export function validateEnvironment<T extends object>(
  type: new () => T,
  raw: Record<string, unknown>,
  options: ValidateOptions<T> = {},
): T {
  const defaults = new type() as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(defaults).concat('NODE_ENV')) {
    const value = raw[key];
    if (value === undefined || value === '') continue;
    input[key] = coerce(value, defaults[key]);
  }
  const settings = plainToInstance(type, input);
  const problems = validateSync(settings as object, { forbidUnknownValues: false }).map(
    (error) => ({
      setting: error.property,
      value: raw[error.property],
      allowed: allowedValues(type, error.property) ?? Object.values(error.constraints ?? {})[0],
    }),
  );
  const bad = new Set(problems.map((problem) => problem.setting));
  const values = settings as Record<string, unknown>;
  for (const [setting, check] of Object.entries(options.checks ?? {}) as [string, SettingCheck][]) {
    if (bad.has(setting)) continue;
    const allowed = check(values[setting] as never, values);
    if (allowed) problems.push({ setting, value: raw[setting], allowed });
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}

function coerce(value: unknown, defaultValue: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (typeof defaultValue === 'number') return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof defaultValue === 'boolean') return BOOLEAN_WORDS[value.trim().toLowerCase()] ?? value;
  return value;
}

/**
 * What a setting may be, read from its class-validator decorators, as one phrase: "a whole
 * number from 0 to 65535", "one of RS256, ES256". Undefined for decorators it does not know.
 */
export function allowedValues(type: new () => object, setting: string): string | undefined {
  const rules = getMetadataStorage()
    .getTargetValidationMetadatas(type, '', true, false)
    .filter((rule) => rule.propertyName === setting);
  const constraint = (name: string) => rules.find((rule) => rule.name === name)?.constraints?.[0];
  const custom = rules.find((rule) => typeof rule.message === 'string');
  if (custom) return String(custom.message).replace(new RegExp(`^${setting} `), '');
  const isIn = constraint('isIn') as unknown[] | undefined;
  if (isIn) return `one of ${isIn.join(', ')}`;
  if (rules.some((rule) => rule.name === 'isBoolean')) return 'true or false (or 1 or 0)';
  if (rules.some((rule) => rule.name === 'isInt')) {
    const [min, max] = [constraint('min'), constraint('max')] as (number | undefined)[];
    if (min !== undefined && max !== undefined) return `a whole number from ${min} to ${max}`;
    if (min !== undefined) return `a whole number of at least ${min}`;
    if (max !== undefined) return `a whole number of at most ${max}`;
    return 'a whole number';
  }
  return undefined;
}

/**
 * The settings an app starts with: the `.env` file of the working directory (if there is
 * one), overridden by the process environment — the order @nestjs/config applies too.
 */
export function readEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  file = resolve(ENV_FILE),
): Record<string, string | undefined> {
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

/**
 * Variables that look like settings of the app (`HUB_*`) but are none, each with the
 * closest known name when one is near: `HUB_PING_INTERVL_MS is not a setting of the hub
 * (did you mean HUB_PING_INTERVAL_MS?)`.
 */
export function unknownSettings(
  type: new () => object,
  raw: Record<string, unknown>,
  prefix: string,
  app: string,
): string[] {
  const known = Object.keys(new type());
  return Object.keys(raw)
    .filter((name) => name.startsWith(prefix) && !known.includes(name))
    .sort()
    .map((name) => {
      const closest = closestName(name, known);
      return `${name} is not a setting of the ${app}${closest ? ` (did you mean ${closest}?)` : ''}`;
    });
}

/** The known name nearest to `name` by edit distance, when it is near enough to be a typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  const nearEnough = best && best.distance <= Math.max(2, Math.floor(name.length / 4));
  return nearEnough ? best!.name : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The check of an audit setting (`HUB_AUDIT`, `REPEATER_AUDIT`): off, `stdout`, or a file in
 * a directory that exists, so that a typo stops the start instead of failing at first write.
 */
export function checkAuditTarget(target: string): string | undefined {
  if (target === '' || target === 'stdout') return undefined;
  const directory = dirname(resolve(target));
  return existsSync(directory)
    ? undefined
    : `stdout, or a file path in an existing directory (there is no directory ${directory})`;
}
