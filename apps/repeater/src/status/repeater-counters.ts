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

/** The repeater's running totals, read by /status and /metrics. */
@Injectable()
export class RepeaterCounters {
  private readonly eventTally = new Tally();
  private readonly rejectedTally = new Tally();
  private readonly disconnectedTally = new Tally();
  private readonly droppedTally = new Tally();
  private readonly refusedTally = new Tally();
  private readonly closedTally = new Tally();
  /** Outside sockets taken in. */
  opened = 0;
  /** Bytes received: outside sockets' frames, HTTP event bodies, the hub's frames. */
  readonly bytesIn = { websocket: 0, http: 0, uplink: 0 };
  /** Bytes sent: event frames to outside sockets, event frames to the hub. */
  readonly bytesOut = { websocket: 0, uplink: 0 };

  /** Events by where they went: `ingress-websocket`, `ingress-http`, `egress`. */
  get events(): Readonly<Record<string, number>> {
    return this.eventTally.snapshot();
  }

  /** Refused websocket frames by reason. */
  get rejected(): Readonly<Record<string, number>> {
    return this.rejectedTally.snapshot();
  }

  /** Refused HTTP requests (event bodies, websocket upgrades) by reason. */
  get refused(): Readonly<Record<string, number>> {
    return this.refusedTally.snapshot();
  }

  /** Outside sockets ended, by close code (closeCodeLabel). */
  get closed(): Readonly<Record<string, number>> {
    return this.closedTally.snapshot();
  }

  /** Outside sockets the repeater closed, by reason (`slow-consumer`, `keepalive`). */
  get disconnected(): Readonly<Record<string, number>> {
    return this.disconnectedTally.snapshot();
  }

  /** Events not delivered to an outside socket, by reason (`slow-consumer`). */
  get dropped(): Readonly<Record<string, number>> {
    return this.droppedTally.snapshot();
  }

  count(what: string): void {
    this.eventTally.add(what);
  }

  reject(reason: string): void {
    this.rejectedTally.add(reason);
  }

  refuse(reason: string): void {
    this.refusedTally.add(reason);
  }

  connectionClosed(code: number): void {
    this.closedTally.add(closeCodeLabel(code));
  }

  disconnect(reason: string): void {
    this.disconnectedTally.add(reason);
  }

  drop(reason: string): void {
    this.droppedTally.add(reason);
  }
}
