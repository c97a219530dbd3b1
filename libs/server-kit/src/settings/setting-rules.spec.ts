import 'reflect-metadata';
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
import { ConfigurationError, unknownSettings, validateEnvironment } from './validate-environment';

const TABLE = {
  ...prefixed('APP', {
    PORT: wholeNumber(7100, { min: 0, max: 65535 }),
    ID: text('', { matches: /^[a-z]*$/, message: 'may only contain lower-case letters' }),
    DEFLATE: flag(false),
    POLICY: oneOf(['drop', 'close'], 'drop'),
    ...CREDENTIAL_SETTINGS,
  }),
  NODE_ENV: optionalOneOf(['production', 'test']),
};
const AppSettings = settingsClass('AppSettings', TABLE);

function problemsOf(raw: Record<string, string>): string[] {
  try {
    validateEnvironment(AppSettings, raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message.split('\n');
  }
  return [];
}

describe('a settings table', () => {
  it('gives instances the defaults, under the prefixed names', () => {
    const defaults = new AppSettings();
    expect(defaults).toMatchObject({
      APP_PORT: 7100,
      APP_ID: '',
      APP_DEFLATE: false,
      APP_POLICY: 'drop',
      APP_JWT_ALGORITHM: 'RS256',
    });
    expect(defaults.NODE_ENV).toBeUndefined();
    expect(AppSettings.name).toBe('AppSettings');
  });

  it('validates with the rules of each entry and says what is allowed', () => {
    expect(problemsOf({ APP_PORT: '70000' })).toEqual([
      'APP_PORT="70000" is not valid: a whole number from 0 to 65535',
    ]);
    expect(problemsOf({ APP_ID: 'A' })).toEqual([
      'APP_ID="A" is not valid: may only contain lower-case letters',
    ]);
    expect(problemsOf({ APP_POLICY: 'x', NODE_ENV: 'dev' })).toEqual([
      'APP_POLICY="x" is not valid: one of drop, close',
      'NODE_ENV="dev" is not valid: one of production, test',
    ]);
    expect(validateEnvironment(AppSettings, { APP_DEFLATE: '1', NODE_ENV: 'test' })).toMatchObject({
      APP_DEFLATE: true,
      NODE_ENV: 'test',
    });
  });

  it('knows its names, so that a misspelt one is found', () => {
    expect(unknownSettings(AppSettings, { APP_PROT: '1' }, 'APP_', 'app')).toEqual([
      'APP_PROT is not a setting of the app (did you mean APP_PORT?)',
    ]);
  });

  it('reads a shared group by its unprefixed names', () => {
    const settings = validateEnvironment(AppSettings, {
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
