import type { IncomingMessage } from 'node:http';
import { PeerKind } from '@ces/protocol';
import picomatch from 'picomatch';

/** What a verified credential allows: the kinds it may connect as, its rooms, its rights. */
export interface PeerGrants {
  kinds: ReadonlySet<PeerKind>;
  /** Undefined: every room. */
  maySubscribe?: (room: string) => boolean;
  /** Undefined: every room. */
  mayPublish?: (room: string) => boolean;
  /**
   * May read what concerns other peers and rooms (`/status`, `/metrics`, the dashboard):
   * true for shared secrets, the hub-link token and with authentication off, for a JWT only with `"operator": true`,
   * false for the hub-link token.
   */
  operator: boolean;
  /** When the credential stops being valid (ms since the epoch, a JWT's `exp`); undefined: never. */
  expiresAt?: number;
  /** Who the credential names (a JWT's `sub`), for logs and /status. */
  subject?: string;
}

export const ALL_KINDS: ReadonlySet<PeerKind> = new Set(['messenger', 'repeater', 'hub']);

/** Grants of a server that has no authentication turned on. */
export const OPEN_GRANTS: PeerGrants = { kinds: ALL_KINDS, operator: true };

/**
 * A room matcher for glob patterns (`ITB-*`, `BLDG-??-1`), or undefined when the patterns
 * allow every room. Results are cached per room: it runs once per event of a restricted peer.
 * An empty list allows no room.
 */
export function roomMatcher(
  patterns: readonly string[] | undefined,
): ((room: string) => boolean) | undefined {
  if (patterns === undefined || patterns.includes('*') || patterns.includes('**')) return undefined;
  if (patterns.length === 0) return () => false;
  const matches = picomatch(patterns as string[], { dot: true, nonegate: true, noextglob: true });
  const cache = new Map<string, boolean>();
  return (room) => {
    let allowed = cache.get(room);
    if (allowed === undefined) {
      allowed = room !== '*' && matches(room);
      if (cache.size > 10_000) cache.clear();
      cache.set(room, allowed);
    }
    return allowed;
  };
}

/** True when the grants allow subscribing to every room, which `*` (every room) needs. */
export function subscribesEverywhere(grants: PeerGrants): boolean {
  return grants.maySubscribe === undefined;
}

/** What each admitted upgrade request's credential grants, until its socket opens and takes it. */
export class AdmittedGrants {
  private readonly byRequest = new WeakMap<IncomingMessage, PeerGrants>();

  admit(request: IncomingMessage, grants: PeerGrants): void {
    this.byRequest.set(request, grants);
  }

  of(request: IncomingMessage): PeerGrants | undefined {
    return this.byRequest.get(request);
  }
}
