import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CREDENTIAL_SETTINGS, tokenOptionsOf } from './server-settings';
import {
  flag,
  oneOf,
  optionalOneOf,
  prefixed,
  settingReader,
  settingsClass,
  text,
  wholeNumber,
} from './setting-rules';
import {
  checkAuditTarget,
  closestName,
  ConfigurationError,
  editDistance,
  readEnvironment,
  unknownSettings,
  validateEnvironment,
} from './validate-environment';

const Settings = settingsClass('Settings', {
  ...prefixed('APP', {
    PORT: wholeNumber(7100, { min: 0, max: 65535 }),
    QUEUE: wholeNumber(10, { min: 1 }),
    DEFLATE: flag(false),
    POLICY: oneOf(['drop', 'close'], 'drop'),
    ID: text('', { matches: /^[a-z]*$/, message: 'may only contain lower-case letters' }),
    PEERS: text(),
    ...CREDENTIAL_SETTINGS,
  }),
  NODE_ENV: optionalOneOf(['production', 'test']),
});

function problemsOf(raw: Record<string, string>, checks = {}): string[] {
  try {
    validateEnvironment(Settings, raw, { checks });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message.split('\n');
  }
  return [];
}

describe('validateEnvironment', () => {
  it('converts strings to the types of the defaults, and keeps defaults for what is unset', () => {
    const settings = validateEnvironment(Settings, {
      APP_PORT: '80',
      APP_DEFLATE: '1',
      APP_POLICY: 'close',
      APP_ID: '',
    });
    expect(settings).toMatchObject({
      APP_PORT: 80,
      APP_QUEUE: 10,
      APP_DEFLATE: true,
      APP_POLICY: 'close',
      APP_ID: '',
    });
  });

  it('names each bad setting once, with its value and what is allowed', () => {
    expect(problemsOf({ APP_PORT: 'abc' })).toEqual([
      'APP_PORT="abc" is not valid: a whole number from 0 to 65535',
    ]);
    expect(
      problemsOf({ APP_PORT: '70000', APP_QUEUE: '0', APP_DEFLATE: 'yes', APP_POLICY: 'x' }),
    ).toEqual([
      'APP_PORT="70000" is not valid: a whole number from 0 to 65535',
      'APP_QUEUE="0" is not valid: a whole number of at least 1',
      'APP_DEFLATE="yes" is not valid: true or false (or 1 or 0)',
      'APP_POLICY="x" is not valid: one of drop, close',
    ]);
    expect(problemsOf({ APP_ID: 'A B' })).toEqual([
      'APP_ID="A B" is not valid: may only contain lower-case letters',
    ]);
  });

  it('runs the checks of settings with a grammar of their own, after the decorators', () => {
    const checks = {
      APP_PEERS: (peers: string) => (peers.includes(' ') ? 'addresses without spaces' : undefined),
    };
    expect(problemsOf({ APP_PEERS: 'a, b c' }, checks)).toEqual([
      'APP_PEERS="a, b c" is not valid: addresses without spaces',
    ]);
    expect(problemsOf({ APP_PEERS: 'a,b' }, checks)).toEqual([]);
  });

  it('shortens a long value in the message', () => {
    const [line] = problemsOf({ APP_POLICY: 'x'.repeat(500) });
    expect(line.length).toBeLessThan(140);
    expect(line).toContain('...');
  });
});

describe('a settings table', () => {
  it('gives instances the defaults, under the prefixed names', () => {
    expect(new Settings()).toMatchObject({
      APP_PORT: 7100,
      APP_ID: '',
      APP_JWT_ALGORITHM: 'RS256',
    });
    expect(new Settings().NODE_ENV).toBeUndefined();
    expect(Settings.name).toBe('Settings');
  });

  it('checks a setting without a default only when it is set', () => {
    expect(problemsOf({ NODE_ENV: 'dev' })).toEqual([
      'NODE_ENV="dev" is not valid: one of production, test',
    ]);
    expect(validateEnvironment(Settings, { NODE_ENV: 'test' }).NODE_ENV).toBe('test');
  });

  it('reads a shared group by its unprefixed names', () => {
    const settings = validateEnvironment(Settings, {
      APP_AUTH_TOKENS: 'a, b,,c',
      APP_JWT_ISSUER: 'me',
    });
    expect(tokenOptionsOf(settingReader(settings, 'APP', CREDENTIAL_SETTINGS))).toEqual({
      tokens: ['a', 'b', 'c'],
      jwtSecret: '',
      jwtPublicKey: '',
      jwtAlgorithm: 'RS256',
      jwtAudience: '',
      jwtIssuer: 'me',
    });
  });
});

describe('unknown settings', () => {
  it('warns about variables with the prefix that are no setting, with the closest name', () => {
    expect(
      unknownSettings(
        Settings,
        { APP_PROT: '1', APP_PORT: '2', APP_SOMETHING_ELSE: '3', OTHER_PORT: '4' },
        'APP_',
        'app',
      ),
    ).toEqual([
      'APP_PROT is not a setting of the app (did you mean APP_PORT?)',
      'APP_SOMETHING_ELSE is not a setting of the app',
    ]);
  });

  it('measures edit distance', () => {
    expect(editDistance('HUB_PING_INTERVL_MS', 'HUB_PING_INTERVAL_MS')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closestName('HUB_PORTT', ['HUB_HOST', 'HUB_PORT'])).toBe('HUB_PORT');
    expect(closestName('HUB_COMPLETELY_DIFFERENT', ['HUB_PORT'])).toBeUndefined();
  });
});

describe('readEnvironment', () => {
  it('reads .env and lets the process environment win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ces-env-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, 'APP_PORT=1\nAPP_QUEUE="5" # a comment\n');
      expect(readEnvironment({ APP_PORT: '2' }, file)).toEqual({ APP_PORT: '2', APP_QUEUE: '5' });
      expect(readEnvironment({ APP_PORT: '2' }, join(dir, 'missing'))).toEqual({ APP_PORT: '2' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkAuditTarget', () => {
  it('takes off, stdout or a file in an existing directory', () => {
    expect(checkAuditTarget('')).toBeUndefined();
    expect(checkAuditTarget('stdout')).toBeUndefined();
    expect(checkAuditTarget(join(tmpdir(), 'audit.jsonl'))).toBeUndefined();
    expect(checkAuditTarget('/no/such/dir/audit.jsonl')).toBe(
      'stdout, or a file path in an existing directory (there is no directory /no/such/dir)',
    );
  });
});
