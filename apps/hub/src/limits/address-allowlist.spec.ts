import { AddressAllowlist } from './address-allowlist';

describe('AddressAllowlist', () => {
  it('allows everything when empty', () => {
    expect(new AddressAllowlist([]).allows('ws://anything:1/connect/hub')).toBe(true);
  });

  it('matches hostnames, globs, IPs, CIDRs and ports', () => {
    const list = new AddressAllowlist([
      'hub-b',
      '*.ces.example.com:7100',
      '10.0.0.0/8',
      '127.0.0.1:7200',
      '[::1]',
    ]);
    expect(list.allows('ws://hub-b:7100/connect/hub')).toBe(true);
    expect(list.allows('ws://a.ces.example.com:7100/connect/hub')).toBe(true);
    expect(list.allows('ws://a.ces.example.com:7101/connect/hub')).toBe(false);
    expect(list.allows('ws://10.1.2.3:7100/connect/hub')).toBe(true);
    expect(list.allows('ws://11.1.2.3:7100/connect/hub')).toBe(false);
    expect(list.allows('ws://127.0.0.1:7200/connect/hub')).toBe(true);
    expect(list.allows('ws://127.0.0.1:7100/connect/hub')).toBe(false);
    expect(list.allows('ws://[::1]:7100/connect/hub')).toBe(true);
    expect(list.allows('ws://evil.example.com:7100/connect/hub')).toBe(false);
  });
});
