import type { FieldError, PeerKind } from '@ces/protocol';

/** What `GET /peers` was asked for: a search, a kind, and one page of the matches. */
export interface PeerQuery {
  /** Lower-cased; matches a part of the id, name, kind, address or remote hub id. */
  q: string;
  kind?: PeerKind;
  offset: number;
  limit: number;
}

/** A page is at most this many peers, whatever is asked: the answer never grows with the hub. */
export const PEER_PAGE = { defaultLimit: 50, maxLimit: 500, maxQueryLength: 200 } as const;

const KINDS: readonly PeerKind[] = ['messenger', 'repeater', 'hub'];

/** What a search looks at in a peer. */
export interface SearchablePeer {
  id: string;
  kind: PeerKind;
  remoteAddress: string;
  name?: string;
  remoteHubId?: string;
}

export type ParsedPeerQuery = { ok: true; query: PeerQuery } | { ok: false; errors: FieldError[] };

/** Reads the query string of `GET /peers`; every wrong parameter is named with what is allowed. */
export function parsePeerQuery(raw: Record<string, unknown>): ParsedPeerQuery {
  const errors: FieldError[] = [];
  const fail = (field: string, error: string) => errors.push({ field, errors: [error] });

  const q = raw.q ?? '';
  if (typeof q !== 'string') fail('q', 'must be given once, as text');
  else if (q.length > PEER_PAGE.maxQueryLength)
    fail('q', `must be at most ${PEER_PAGE.maxQueryLength} characters`);

  const kind = raw.kind;
  if (kind !== undefined && kind !== '' && !KINDS.includes(kind as PeerKind))
    fail('kind', `must be one of ${KINDS.join(', ')}`);

  const offset = integerParam(raw.offset, 0);
  if (offset === undefined || offset < 0) fail('offset', 'must be an integer of 0 or more');
  const limit = integerParam(raw.limit, PEER_PAGE.defaultLimit);
  if (limit === undefined || limit < 1 || limit > PEER_PAGE.maxLimit)
    fail('limit', `must be an integer from 1 to ${PEER_PAGE.maxLimit}`);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    query: {
      q: (q as string).trim().toLowerCase(),
      kind: kind ? (kind as PeerKind) : undefined,
      offset: offset!,
      limit: limit!,
    },
  };
}

function integerParam(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

/** True when the peer is of the asked kind and the search text is part of one of its names. */
export function matchesPeer(peer: SearchablePeer, query: PeerQuery): boolean {
  if (query.kind !== undefined && peer.kind !== query.kind) return false;
  if (query.q === '') return true;
  return [peer.id, peer.kind, peer.remoteAddress, peer.name, peer.remoteHubId].some(
    (text) => text !== undefined && text.toLowerCase().includes(query.q),
  );
}

/** One page of the peers that match, in the order given, and how many matched in all. */
export function pagePeers<P extends SearchablePeer>(
  peers: Iterable<P>,
  query: PeerQuery,
): { matched: number; page: P[] } {
  const page: P[] = [];
  let matched = 0;
  for (const peer of peers) {
    if (!matchesPeer(peer, query)) continue;
    if (matched >= query.offset && page.length < query.limit) page.push(peer);
    matched++;
  }
  return { matched, page };
}
