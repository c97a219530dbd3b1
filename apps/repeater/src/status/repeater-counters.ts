import { Injectable } from '@nestjs/common';

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

/** The repeater's running totals, read by /status and /metrics. */
@Injectable()
export class RepeaterCounters {
  private readonly eventTally = new Tally();
  private readonly rejectedTally = new Tally();
  private readonly disconnectedTally = new Tally();
  private readonly droppedTally = new Tally();

  /** Events by where they went: `ingress-websocket`, `ingress-http`, `egress`. */
  get events(): Readonly<Record<string, number>> {
    return this.eventTally.snapshot();
  }

  /** Refused input by reason. */
  get rejected(): Readonly<Record<string, number>> {
    return this.rejectedTally.snapshot();
  }

  /** Outside sockets the repeater closed, by reason (`slow-consumer`, `keepalive`). */
  get disconnected(): Readonly<Record<string, number>> {
    return this.disconnectedTally.snapshot();
  }

  /** Events not delivered to an outside socket, by reason (`slow-consumer`). */
  get dropped(): Readonly<Record<string, number>> {
    return this.droppedTally.snapshot();
  }

  /** The dashboard chart's running totals: events in (to the hub), out (from it), rejected. */
  rateTotals(): Record<'in' | 'out' | 'rejected', number> {
    let incoming = 0;
    for (const [what, count] of Object.entries(this.events))
      if (what.startsWith('ingress')) incoming += count;
    let rejected = 0;
    for (const count of Object.values(this.rejected)) rejected += count;
    return { in: incoming, out: this.eventTally.get('egress'), rejected };
  }

  count(what: string): void {
    this.eventTally.add(what);
  }

  reject(reason: string): void {
    this.rejectedTally.add(reason);
  }

  disconnect(reason: string): void {
    this.disconnectedTally.add(reason);
  }

  drop(reason: string): void {
    this.droppedTally.add(reason);
  }
}
