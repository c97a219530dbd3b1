import { Injectable } from '@nestjs/common';

type Tally = Record<string, number>;

/** The repeater's running totals, read by /status. */
@Injectable()
export class RepeaterCounters {
  readonly events: Tally = {};
  readonly rejected: Tally = {};

  count(what: string): void {
    this.events[what] = (this.events[what] ?? 0) + 1;
  }

  reject(reason: string): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
  }
}
