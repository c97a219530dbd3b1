import { doubledGoLinks, plainIp } from './go-link-doubles';

describe('doubledGoLinks', () => {
  it('pairs a Go hub’s link to us with ours to the same IP, both ways', () => {
    const doubles = doubledGoLinks(
      [
        { name: 'in-1', ip: '::ffff:10.0.0.7' },
        { name: 'in-2', ip: '10.0.0.8' },
      ],
      [
        { name: 'ws://go-hub:7100/connect/hub', ip: '10.0.0.7' },
        { name: 'ws://other:7100/connect/hub', ip: '10.0.0.9' },
      ],
    );
    expect([...doubles]).toEqual([
      ['in-1', ['ws://go-hub:7100/connect/hub']],
      ['ws://go-hub:7100/connect/hub', ['in-1']],
    ]);
  });

  it('finds nothing with links one way only', () => {
    expect(doubledGoLinks([{ name: 'in', ip: '10.0.0.7' }], []).size).toBe(0);
    expect(doubledGoLinks([], [{ name: 'out', ip: '10.0.0.7' }]).size).toBe(0);
  });

  it('reads IPv4-mapped IPv6 addresses as IPv4', () => {
    expect(plainIp('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(plainIp('::1')).toBe('::1');
  });
});
