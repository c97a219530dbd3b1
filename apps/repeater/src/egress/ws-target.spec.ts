import { targetUrl } from './ws-target';

describe('targetUrl', () => {
  const dial = (room: string, address = 'ws://10.0.0.5:7101') => targetUrl(address, room, 'rep-1');

  it('dials /connect/<room>/<repeater id>, each segment encoded', () => {
    expect(dial('ITB-1101')).toBe('ws://10.0.0.5:7101/connect/ITB-1101/rep-1');
    expect(dial('a/b?c#d e')).toBe('ws://10.0.0.5:7101/connect/a%2Fb%3Fc%23d%20e/rep-1');
    expect(dial('%2e%2e')).toBe('ws://10.0.0.5:7101/connect/%252e%252e/rep-1');
    expect(dial('é')).toBe('ws://10.0.0.5:7101/connect/%C3%A9/rep-1');
  });

  it('never lets . , .. or * change where it dials or ask for every room', () => {
    for (const room of ['.', '..', '*']) expect(dial(room)).toBe('ws://10.0.0.5:7101/connect');
  });

  it('keeps an address that has a path of its own', () => {
    expect(dial('..', 'ws://host/feed/x')).toBe('ws://host/feed/x');
    expect(dial('R', 'wss://host:9/in?k=1')).toBe('wss://host:9/in?k=1');
  });
});
