import {
  CLIENT_NAME_PARAM,
  InvalidClientNameError,
  isValidClientName,
  parseClientName,
  withClientName,
} from './client-name';

describe('client names', () => {
  it.each(['billing-worker', 'rep-1', 'a', 'ns:svc.v2_x', 'x'.repeat(64)])('accepts %j', (name) => {
    expect(parseClientName(name)).toBe(name);
    expect(isValidClientName(name)).toBe(true);
  });

  it.each(['', 'x'.repeat(65), 'has space', 'slash/no', 'émile', 'a\nb', 'q?x=1'])(
    'refuses %j with a short error',
    (name) => {
      expect(() => parseClientName(name)).toThrow(InvalidClientNameError);
      expect(() => parseClientName(name)).toThrow(/1 to 64 characters/);
      expect(isValidClientName(name)).toBe(false);
    },
  );

  it('takes an absent parameter for no name', () => {
    expect(parseClientName(null)).toBeUndefined();
    expect(parseClientName(undefined)).toBeUndefined();
    expect(isValidClientName(7)).toBe(false);
  });

  it('puts the name on the connect URL as a query parameter, read back by parseClientName', () => {
    const url = withClientName('ws://hub:7100/connect/messenger', 'rep-1');
    expect(url).toBe('ws://hub:7100/connect/messenger?name=rep-1');
    expect(parseClientName(new URL(url).searchParams.get(CLIENT_NAME_PARAM))).toBe('rep-1');
    expect(withClientName('ws://hub/connect/messenger?token=t', 'a:b')).toBe(
      'ws://hub/connect/messenger?token=t&name=a%3Ab',
    );
    expect(withClientName('ws://hub/connect/messenger', undefined)).toBe(
      'ws://hub/connect/messenger',
    );
    expect(() => withClientName('ws://hub/connect/messenger', 'bad name')).toThrow(
      InvalidClientNameError,
    );
  });
});
