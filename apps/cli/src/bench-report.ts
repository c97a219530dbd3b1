/** What `ces bench` was asked to do. */
export interface BenchPlan {
  publishers: number;
  subscribers: number;
  rooms: number;
  /** Bytes of each event. */
  size: number;
  /** Events per second, all publishers together, or as fast as the sockets take them. */
  rate: number | 'max';
  durationS: number;
}

/** Samples of latency kept at most: beyond it, a uniform sample of them (reservoir). */
export const MAX_LATENCY_SAMPLES = 200_000;

/** Running counts while the bench runs. */
export class BenchTally {
  published = 0;
  /** Deliveries due: each event once per subscriber of its room. */
  expected = 0;
  delivered = 0;
  readonly latenciesMs: number[] = [];

  /** Counts one delivery and keeps its latency in the sample. */
  deliver(latencyMs: number, random: () => number = Math.random): void {
    this.delivered++;
    if (this.latenciesMs.length < MAX_LATENCY_SAMPLES) this.latenciesMs.push(latencyMs);
    else {
      const slot = Math.floor(random() * this.delivered);
      if (slot < MAX_LATENCY_SAMPLES) this.latenciesMs[slot] = latencyMs;
    }
  }
}

export interface BenchResult extends BenchPlan {
  published: number;
  expected: number;
  delivered: number;
  lost: number;
  seconds: number;
  publishedPerSecond: number;
  deliveriesPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const grouped = (n: number) => n.toLocaleString('en-US');
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;

/** The nearest-rank percentile `p` (0–100) of sorted samples. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** Latency percentiles of the samples, in ms, rounded to µs. */
export function latencySummary(samples: readonly number[]): BenchResult['latencyMs'] {
  const sorted = Float64Array.from(samples).sort();
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    p999: round(percentile(sorted, 99.9)),
    max: round(sorted.length ? sorted[sorted.length - 1] : 0),
  };
}

/** The line the bench rewrites each second on stderr. */
export function formatProgress(
  elapsedS: number,
  durationS: number,
  tally: Pick<BenchTally, 'published' | 'delivered'>,
  deliveriesPerSecond: number,
): string {
  const width = 20;
  const done = Math.min(width, Math.round((elapsedS / durationS) * width));
  const bar = `[${'#'.repeat(done)}${'.'.repeat(width - done)}]`;
  return `${bar} ${elapsedS.toFixed(0)}/${durationS}s  published ${grouped(tally.published)}  delivered ${grouped(tally.delivered)}  ${grouped(Math.round(deliveriesPerSecond))} deliveries/s`;
}

/** The report `ces bench` prints at the end. */
export function formatBenchResult(result: BenchResult): string {
  const rate = result.rate === 'max' ? 'as fast as possible' : `${grouped(result.rate)} events/s`;
  const { p50, p90, p99, p999, max } = result.latencyMs;
  return [
    `${plural(result.publishers, 'publisher')}, ${plural(result.subscribers, 'subscriber')}, ${plural(result.rooms, 'room')}, ${result.size}-byte events, ${rate}, ${result.durationS} s`,
    `published   ${grouped(result.published)} events (${grouped(result.publishedPerSecond)}/s)`,
    `delivered   ${grouped(result.delivered)} of ${grouped(result.expected)} deliveries (${grouped(result.deliveriesPerSecond)}/s), lost ${grouped(result.lost)}`,
    result.delivered > 0
      ? `latency     p50 ${ms(p50)}  p90 ${ms(p90)}  p99 ${ms(p99)}  p99.9 ${ms(p999)}  max ${ms(max)}`
      : 'latency     - (nothing delivered)',
  ].join('\n');
}
