import { Injectable } from '@nestjs/common';
import { closeCodeLabel } from '@ces/server-kit';

/** Running totals by name, in a Map: a name can never collide with an object's own keys. */
class Tally {
  private readonly counts = new Map<string, number>();

  add(name: string, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/**
 * The repeater's tallies of running totals by name:
 * - `events`: by where they went (`ingress-websocket`, `ingress-http`, `egress`);
 * - `rejected`: refused websocket frames, by reason;
 * - `refused`: refused HTTP requests (event bodies, websocket upgrades), by reason;
 * - `closed`: outside sockets ended, by close code (closeCodeLabel);
 * - `disconnected`: outside sockets the repeater closed, by reason (`slow-consumer`, `keepalive`);
 * - `dropped`: events not delivered to an outside socket, by reason (`slow-consumer`).
 */
export type RepeaterTally =
  'events' | 'rejected' | 'refused' | 'closed' | 'disconnected' | 'dropped';

/** The repeater's running totals, read by /status and /metrics. */
@Injectable()
export class RepeaterCounters {
  private readonly tallies: Record<RepeaterTally, Tally> = {
    events: new Tally(),
    rejected: new Tally(),
    refused: new Tally(),
    closed: new Tally(),
    disconnected: new Tally(),
    dropped: new Tally(),
  };
  /** Outside sockets taken in. */
  opened = 0;
  /** Bytes received: outside sockets' frames, HTTP event bodies, the hub's frames. */
  readonly bytesIn = { websocket: 0, http: 0, uplink: 0 };
  /** Bytes sent: event frames to outside sockets, event frames to the hub. */
  readonly bytesOut = { websocket: 0, uplink: 0 };

  /** One tally's totals, as they are now. */
  totals(of: RepeaterTally): Readonly<Record<string, number>> {
    return this.tallies[of].snapshot();
  }

  /** The dashboard chart's running totals: events in (to the hub), out (from it), rejected. */
  rateTotals(): Record<'in' | 'out' | 'rejected', number> {
    let incoming = 0;
    for (const [what, count] of Object.entries(this.totals('events')))
      if (what.startsWith('ingress')) incoming += count;
    // Refused frames and refused requests alike, as /status's `rejected` shows them.
    let rejected = 0;
    for (const of of ['rejected', 'refused'] as const)
      for (const count of Object.values(this.totals(of))) rejected += count;
    return { in: incoming, out: this.tallies.events.get('egress'), rejected };
  }

  count(what: string): void {
    this.tallies.events.add(what);
  }

  reject(reason: string): void {
    this.tallies.rejected.add(reason);
  }

  refuse(reason: string): void {
    this.tallies.refused.add(reason);
  }

  connectionClosed(code: number): void {
    this.tallies.closed.add(closeCodeLabel(code));
  }

  disconnect(reason: string): void {
    this.tallies.disconnected.add(reason);
  }

  drop(reason: string): void {
    this.tallies.dropped.add(reason);
  }
}
