import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** Converts what the environment gives (strings) to the typed settings, or throws naming each bad one. */
export function validateEnvironment<T extends object>(
  type: new () => T,
  raw: Record<string, unknown>,
): T {
  const defaults = new type() as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(defaults).concat('NODE_ENV')) {
    const value = raw[key];
    if (value === undefined || value === '') continue;
    input[key] = coerce(value, defaults[key]);
  }
  const settings = plainToInstance(type, input);
  const errors = validateSync(settings as object, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) =>
        `  ${e.property}=${JSON.stringify(raw[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return settings;
}

function coerce(value: unknown, defaultValue: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (typeof defaultValue === 'number') return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof defaultValue === 'boolean') return BOOLEAN_WORDS[value.trim().toLowerCase()] ?? value;
  return value;
}
