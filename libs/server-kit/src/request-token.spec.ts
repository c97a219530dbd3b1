import { isTokenParameter, queryParameters, redactTokens, requestToken } from './request-token';

const SECRET = 's3cr3t/+=&?x';
const read = (url: string, authorization?: string) =>
  requestToken({ url, headers: authorization ? { authorization } : {} });

/** Every way of writing the parameter's name that decodes to `token` in some case. */
const NAMES = ['token', 'TOKEN', 'Token', '%74oken', '%74%6F%6B%65%6E', 't%4Fk%45n', 'tok%65n'];

/** Every way of writing the secret as a value: plain where it can be, encoded per byte, with +. */
const VALUES: [string, string][] = [
  ['abc123', 'abc123'],
  [encodeURIComponent(SECRET), SECRET],
  [
    [...Buffer.from(SECRET)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''),
    SECRET,
  ],
  ['a+b', 'a b'],
  ['%E2%9C%93', '✓'],
];

describe('the token query parameter', () => {
  it('is the one whose decoded name is token, in any case', () => {
    for (const name of ['token', 'TOKEN', 'ToKeN']) expect(isTokenParameter(name)).toBe(true);
    for (const name of ['tokens', 'access_token', 'to ken', ' token', '']) {
      expect(isTokenParameter(name)).toBe(false);
    }
  });

  it('splits and decodes the query as URLSearchParams does', () => {
    const url = '/x?a=1&%74oken=v%3D&&b&c=d=e#frag&token=no';
    expect(queryParameters(url).map(({ name, value }) => [name, value])).toEqual([
      ...new URLSearchParams('a=1&%74oken=v%3D&&b&c=d=e'),
    ]);
    expect(queryParameters('/x')).toEqual([]);
  });

  it('is read with every encoding of its name and value', () => {
    for (const name of NAMES) {
      for (const [written, decoded] of VALUES) {
        expect(read(`/connect/R/x?a=1&${name}=${written}&b=2`)).toBe(decoded);
      }
    }
  });

  it('prefers the Authorization header, takes the first parameter, and ignores the fragment', () => {
    expect(read('/x?token=query', 'Bearer header')).toBe('header');
    expect(read('/x?token=first&TOKEN=second')).toBe('first');
    expect(read('/x?a=1#token=fragment')).toBeUndefined();
    expect(read('/x?token=')).toBeUndefined();
  });
});

describe('token redaction', () => {
  it('redacts every value that would be read as the token, whatever the encoding', () => {
    for (const name of NAMES) {
      for (const [written, decoded] of VALUES) {
        const url = `/dashboard/stream?a=1&${name}=${written}&b=2`;
        const redacted = redactTokens(url);
        expect(redacted).toBe(`/dashboard/stream?a=1&${name}=[redacted]&b=2`);
        expect(redacted).not.toContain(written);
        expect(read(redacted)).toBe('[redacted]');
        expect(read(url)).toBe(decoded);
      }
    }
  });

  it('redacts access_token, a value-less token, repeated tokens and the fragment', () => {
    expect(redactTokens('/x?access_token=s&token&TOKEN=t')).toBe(
      '/x?access_token=[redacted]&token=[redacted]&TOKEN=[redacted]',
    );
    expect(redactTokens('/x?a=1#token=s')).toBe('/x?a=1#[redacted]');
    expect(redactTokens('/x#s')).toBe('/x#[redacted]');
  });

  it('leaves other parameters, and URLs without a query, as they are', () => {
    expect(redactTokens('/status')).toBe('/status');
    expect(redactTokens('/x?tokens=1&to+ken=2&%ZZ=3')).toBe('/x?tokens=1&to+ken=2&%ZZ=3');
  });
});
