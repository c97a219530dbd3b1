import * as link from './hub-link-messages';

describe('hub link messages', () => {
  it('round-trips a group advertisement, prototype-like names included', () => {
    const groups = new Map([
      ['billing', { rooms: ['A', 'B'], durable: true }],
      ['__proto__', { rooms: ['*'], durable: false }],
      ['constructor', { rooms: ['C'], durable: false }],
    ]);
    const parsed = link.parseHubLinkMessage(link.encodeGroupAdvertisement(groups));
    expect(parsed).toEqual({ type: 'groups', groups });
  });

  it('round-trips a delivery notice', () => {
    expect(link.parseHubLinkMessage(link.encodeDeliver(['a', 'b']))).toEqual({
      type: 'deliver',
      groups: ['a', 'b'],
    });
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[1]'],
    ['deliver with a number', '{"deliver":[1]}'],
    ['a group without rooms', '{"groups":{"g":{}}}'],
    ['rooms that are not strings', '{"groups":{"g":{"rooms":[1]}}}'],
    ['groups as an array', '{"groups":[]}'],
    ['neither message', '{"rooms":["A"],"create":true}'],
  ])('refuses %s', (_name, text) => {
    expect(link.parseHubLinkMessage(text)).toBeUndefined();
  });

  it('refuses an advertisement with more groups than the limit', () => {
    const groups: Record<string, unknown> = {};
    for (let i = 0; i <= link.LINK_MESSAGE_LIMITS.maxGroups; i++)
      groups[`g${i}`] = { rooms: ['A'] };
    expect(link.parseHubLinkMessage(JSON.stringify({ groups }))).toBeUndefined();
  });

  it('reads durable as false unless it is exactly true', () => {
    const parsed = link.parseHubLinkMessage('{"groups":{"g":{"rooms":["A"],"durable":"yes"}}}');
    expect(parsed?.type === 'groups' && parsed.groups.get('g')?.durable).toBe(false);
  });
});
