import { resolveOptions } from './messenger-options';

describe('resolveOptions', () => {
  it('fills defaults and takes one hub or several', () => {
    const one = resolveOptions({ hubUrl: 'ws://localhost:7100' });
    expect(one).toMatchObject({
      hubUrls: ['ws://localhost:7100'],
      kind: 'messenger',
      raw: false,
      bufferLimit: 10_000,
    });
    expect(resolveOptions({ hubUrls: ['ws://a', 'wss://b'] }).hubUrls).toEqual([
      'ws://a',
      'wss://b',
    ]);
  });

  it('refuses a missing or non-websocket hub URL', () => {
    expect(() => resolveOptions({})).toThrow(/hubUrl/);
    expect(() => resolveOptions({ hubUrl: 'http://localhost:7100' })).toThrow(/ws:\/\//);
  });
});
