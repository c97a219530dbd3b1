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

describe('interest messages', () => {
  const { maxInterestRoomsPerMessage: max, maxInterestRoomLength } = link.LINK_MESSAGE_LIMITS;
  const parseAll = (texts: string[]) => texts.map((text) => link.parseHubLinkMessage(text));

  it('round-trips a change, leaving out what is empty', () => {
    const text = link.encodeInterestChange({ add: ['A', '*'], remove: [], complete: true });
    expect(text).toBe('{"interest":{"add":["A","*"],"complete":true}}');
    expect(link.parseHubLinkMessage(text)).toEqual({
      type: 'interest',
      change: { add: ['A', '*'], remove: [], complete: true },
    });
    expect(link.parseHubLinkMessage('{"interest":{"remove":["B"]}}')).toEqual({
      type: 'interest',
      change: { add: [], remove: ['B'], complete: false },
    });
  });

  it('splits a long set into messages within the bound, complete on the last only', () => {
    const rooms = Array.from({ length: 2 * max + 1 }, (_, i) => `room-${i}`);
    const parsed = parseAll(link.encodeInterestMessages(rooms, [], true));
    expect(parsed).toHaveLength(3);
    const changes = parsed.map((m) => (m?.type === 'interest' ? m.change : undefined));
    expect(changes.map((c) => c?.complete)).toEqual([false, false, true]);
    expect(changes.flatMap((c) => c?.add)).toEqual(rooms);
  });

  it('completes an empty set with one message, and sends nothing for no change', () => {
    expect(link.encodeInterestMessages([], [], true)).toEqual(['{"interest":{"complete":true}}']);
    expect(link.encodeInterestMessages([], [])).toEqual([]);
  });

  it('keeps additions and removals apart when a change is split', () => {
    const add = Array.from({ length: max }, (_, i) => `a${i}`);
    const parsed = parseAll(link.encodeInterestMessages(add, ['gone']));
    expect(parsed[1]).toEqual({
      type: 'interest',
      change: { add: [], remove: ['gone'], complete: false },
    });
  });

  it.each([
    ['not an object', '{"interest":["A"]}'],
    ['a number for a room', '{"interest":{"add":[1]}}'],
    ['an empty room', '{"interest":{"add":[""]}}'],
    [
      'a room too long',
      JSON.stringify({ interest: { add: ['x'.repeat(maxInterestRoomLength + 1)] } }),
    ],
    ['too many rooms', JSON.stringify({ interest: { add: Array(max + 1).fill('A') } })],
    ['complete that is not a boolean', '{"interest":{"complete":"yes"}}'],
  ])('reads %s as an unreadable interest message', (_name, text) => {
    expect(link.parseHubLinkMessage(text)).toEqual({ type: 'invalid-interest' });
  });
});
