import {
  matchesPeer,
  pagePeers,
  parsePeerQuery,
  PEER_PAGE,
  PeerQuery,
  SearchablePeer,
} from './peer-query';

const peer = (id: string, extra: Partial<SearchablePeer> = {}): SearchablePeer => ({
  id,
  kind: 'messenger',
  remoteAddress: '10.0.0.1:5000',
  ...extra,
});
const query = (extra: Partial<PeerQuery> = {}): PeerQuery => ({
  q: '',
  offset: 0,
  limit: 50,
  ...extra,
});

describe('parsePeerQuery', () => {
  it('defaults to the first page of everything', () => {
    expect(parsePeerQuery({})).toEqual({
      ok: true,
      query: { q: '', kind: undefined, offset: 0, limit: PEER_PAGE.defaultLimit },
    });
  });

  it('reads a search, a kind and a page', () => {
    expect(parsePeerQuery({ q: '  Panel ', kind: 'hub', offset: '100', limit: '25' })).toEqual({
      ok: true,
      query: { q: 'panel', kind: 'hub', offset: 100, limit: 25 },
    });
  });

  it('names every wrong parameter', () => {
    const parsed = parsePeerQuery({
      q: ['a', 'b'],
      kind: 'spoke',
      offset: '-1',
      limit: String(PEER_PAGE.maxLimit + 1),
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.map((error) => error.field)).toEqual([
      'q',
      'kind',
      'offset',
      'limit',
    ]);
  });

  it('refuses a limit of 0, a fraction and an overlong search', () => {
    expect(parsePeerQuery({ limit: '0' }).ok).toBe(false);
    expect(parsePeerQuery({ offset: '1.5' }).ok).toBe(false);
    expect(parsePeerQuery({ q: 'x'.repeat(PEER_PAGE.maxQueryLength + 1) }).ok).toBe(false);
  });
});

describe('matchesPeer', () => {
  it('finds a peer by a part of its id, name, kind, address or remote hub, in any case', () => {
    const target = peer('messenger-7', { name: 'Room-Display', remoteHubId: undefined });
    for (const q of ['senger-7', 'room-disp', 'messenger', '10.0.0.1']) {
      expect(matchesPeer(target, query({ q }))).toBe(true);
    }
    expect(
      matchesPeer(peer('hub-1', { kind: 'hub', remoteHubId: 'hub-b' }), query({ q: 'hub-b' })),
    ).toBe(true);
    expect(matchesPeer(target, query({ q: 'projector' }))).toBe(false);
  });

  it('keeps to the asked kind', () => {
    expect(matchesPeer(peer('messenger-1'), query({ kind: 'repeater' }))).toBe(false);
  });
});

describe('pagePeers', () => {
  const peers = Array.from({ length: 3000 }, (_, n) =>
    peer(`messenger-${n}`, { name: n % 2 === 0 ? 'even' : 'odd' }),
  );

  it('returns one bounded page and how many matched in all', () => {
    const { matched, page } = pagePeers(peers, query({ q: 'even', offset: 10, limit: 5 }));
    expect(matched).toBe(1500);
    expect(page.map((p) => p.id)).toEqual([
      'messenger-20',
      'messenger-22',
      'messenger-24',
      'messenger-26',
      'messenger-28',
    ]);
  });

  it('returns an empty page past the end', () => {
    expect(pagePeers(peers, query({ offset: 5000 }))).toEqual({ matched: 3000, page: [] });
  });
});
