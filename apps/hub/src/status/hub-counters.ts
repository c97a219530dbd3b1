import { Injectable } from '@nestjs/common';
import { PeerKind } from '@ces/protocol';
import { EventSource } from '../routing/routing.service';

type Tally = Record<string, number>;

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
  readonly rejected: Tally = {};
  readonly groups: Tally = {};
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

  /** Durable-group bookkeeping: redeliveries, acknowledgements. */
  durable(what: string, count = 1): void {
    bump(this.groups, what, count);
  }

  snapshot(): {
    eventsIn: Tally;
    eventsOut: Tally;
    dropped: Tally;
    rejected: Tally;
    groups: Tally;
  } {
    return {
      groups: { ...this.groups },
      eventsIn: { ...this.eventsIn },
      eventsOut: { ...this.eventsOut },
      dropped: { ...this.dropped },
      rejected: { ...this.rejected },
    };
  }
}
