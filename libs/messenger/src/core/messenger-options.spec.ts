import { resolveOptions } from './messenger-options';

describe('resolveOptions', () => {
  it('fills defaults and takes one hub or several', () => {
    const one = resolveOptions({ hubUrl: 'ws://localhost:7100' });
    expect(one).toMatchObject({
      hubUrls: ['ws://localhost:7100'],
      kind: 'messenger',
      raw: false,
      bufferLimit: 10_000,
      bufferBytes: 4 * 1024 * 1024,
    });
    expect(one.name).toBeUndefined();
    expect(resolveOptions({ hubUrls: ['ws://a', 'wss://b'] }).hubUrls).toEqual([
      'ws://a',
      'wss://b',
    ]);
  });

  it('takes host, host:port and http(s) addresses as the CLI does', () => {
    const urls = (hubUrl: string) => resolveOptions({ hubUrl }).hubUrls;
    expect(urls('hub-a')).toEqual(['ws://hub-a:7100']);
    expect(urls('127.0.0.1:7300')).toEqual(['ws://127.0.0.1:7300']);
    expect(urls('https://ces.example.com/hub/')).toEqual(['wss://ces.example.com/hub']);
  });

  it('refuses a missing or unusable hub address, a bad name and bad limits', () => {
    expect(() => resolveOptions({})).toThrow(/hubUrl/);
    expect(() => resolveOptions({ hubUrl: 'ftp://localhost:7100' })).toThrow(/ws:\/\//);
    expect(() => resolveOptions({ hubUrl: 'h', name: 'has space' })).toThrow(/client name/);
    expect(() => resolveOptions({ hubUrl: 'h', name: '' })).toThrow(/client name/);
    expect(() => resolveOptions({ hubUrl: 'h', bufferBytes: -1 })).toThrow(/bufferBytes/);
    expect(resolveOptions({ hubUrl: 'h', name: 'rep-1' }).name).toBe('rep-1');
  });
});
