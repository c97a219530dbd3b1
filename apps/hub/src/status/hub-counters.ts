import { Injectable } from '@nestjs/common';
import { PeerKind } from '@ces/protocol';
import { closeCodeLabel } from '@ces/server-kit';
import { EventSource } from '../routing/routing.service';

type Tally = Record<string, number>;

/** What the counters need of a peer that is gone: its kind and what it sent and was sent. */
interface ClosedPeer {
  kind: PeerKind;
  bytesIn: number;
  bytesOut: number;
}

function bump(tally: Tally, key: string, by = 1): void {
  tally[key] = (tally[key] ?? 0) + by;
}

/**
 * The hub's running totals. Plain numbers bumped on the event path; /status and
 * /metrics read them when asked, so counting costs no more than an increment.
 */
@Injectable()
export class HubCounters {
  readonly eventsIn: Tally = {};
  readonly eventsOut: Tally = {};
  readonly dropped: Tally = {};
  /** Frames (and open connections) refused on websockets, by reason. */
  readonly rejected: Tally = {};
  /** HTTP requests refused, upgrades included, by reason. */
  readonly refused: Tally = {};
  readonly groups: Tally = {};
  /** Connections taken in, by peer kind. */
  readonly opened: Tally = {};
  /** Connections ended, by peer kind, then by close code (closeCodeLabel). */
  readonly closed: Record<string, Tally> = {};
  /**
   * Bytes of the peers that are gone, by kind. A live peer counts its own bytes; they move
   * here when it closes, so the sum of both only grows.
   */
  readonly closedBytesIn: Tally = {};
  readonly closedBytesOut: Tally = {};
  /** Peers the hub closed on purpose, by why (`operator`). */
  readonly disconnected: Tally = {};
  /** Events hub links did not carry, by reason (`too-large` in, `slow-consumer` out). */
  readonly linkDropped: Tally = {};

  eventIn(source: EventSource): void {
    bump(this.eventsIn, source);
  }

  eventsOutTo(kind: PeerKind, count = 1): void {
    bump(this.eventsOut, kind, count);
  }

  drop(reason: string, count = 1): void {
    bump(this.dropped, reason, count);
  }

  linkDrop(reason: 'too-large' | 'slow-consumer'): void {
    bump(this.linkDropped, reason);
  }

  reject(reason: string): void {
    bump(this.rejected, reason);
  }

  /** An HTTP request (an API call, a websocket upgrade) answered with a refusal. */
  refuse(reason: string): void {
    bump(this.refused, reason);
  }

  connectionOpened(kind: PeerKind): void {
    bump(this.opened, kind);
  }

  connectionClosed(peer: ClosedPeer, code: number): void {
    bump((this.closed[peer.kind] ??= {}), closeCodeLabel(code));
    bump(this.closedBytesIn, peer.kind, peer.bytesIn);
    bump(this.closedBytesOut, peer.kind, peer.bytesOut);
  }

  /** Durable-group bookkeeping: redeliveries, acknowledgements. */
  durable(what: string, count = 1): void {
    bump(this.groups, what, count);
  }

  disconnect(reason: string): void {
    bump(this.disconnected, reason);
  }

  snapshot(): {
    eventsIn: Tally;
    eventsOut: Tally;
    dropped: Tally;
    rejected: Tally;
    refused: Tally;
    groups: Tally;
    disconnected: Tally;
  } {
    return {
      groups: { ...this.groups },
      eventsIn: { ...this.eventsIn },
      eventsOut: { ...this.eventsOut },
      dropped: { ...this.dropped },
      // Everything refused, frames and requests alike, as /status has always shown it.
      rejected: merged(this.rejected, this.refused),
      refused: { ...this.refused },
      disconnected: { ...this.disconnected },
    };
  }
}

function merged(a: Tally, b: Tally): Tally {
  const sum: Tally = { ...a };
  for (const [key, count] of Object.entries(b)) bump(sum, key, count);
  return sum;
}
