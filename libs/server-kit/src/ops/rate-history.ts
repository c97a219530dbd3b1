// App-agnostic: the repeater's dashboard uses this file too.

/** One point of a dashboard's chart: when (ms since the epoch) and each series' rate per second. */
export type RateSample = { t: number } & Record<string, number>;

/** The rates' history a dashboard shows on opening: one sample every 5 s for 15 minutes. */
export const RATE_HISTORY = { everyMs: 5_000, samples: 180 } as const;

/**
 * The last `capacity` samples of a few running totals' rates, in a ring: fixed memory
 * (`capacity` small objects), whatever the uptime. Each reading's rates are the totals'
 * growth since the reading before, per second (a total that went down reads as 0).
 */
export class RateHistory {
  private readonly ring: (RateSample | undefined)[];
  private next = 0;
  private before?: { t: number; totals: Readonly<Record<string, number>> };

  constructor(readonly capacity: number = RATE_HISTORY.samples) {
    this.ring = new Array<RateSample | undefined>(capacity).fill(undefined);
  }

  /** Takes a reading of the totals at `t`; from the second reading on, it keeps a sample. */
  record(t: number, totals: Readonly<Record<string, number>>): void {
    const before = this.before;
    this.before = { t, totals: { ...totals } };
    if (!before || t <= before.t) return;
    const seconds = (t - before.t) / 1000;
    const sample: RateSample = { t } as RateSample;
    for (const [key, total] of Object.entries(totals))
      sample[key] = Math.max(0, total - (before.totals[key] ?? total)) / seconds;
    this.ring[this.next] = sample;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The samples kept, oldest first. */
  samples(): RateSample[] {
    const ordered = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.filter((sample): sample is RateSample => sample !== undefined);
  }
}
