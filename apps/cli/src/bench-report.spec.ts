import * as report from './bench-report';

describe('bench report', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(report.percentile(sorted, 50)).toBe(50);
    expect(report.percentile(sorted, 99)).toBe(99);
    expect(report.percentile(sorted, 99.9)).toBe(100);
    expect(report.percentile(new Float64Array(0), 50)).toBe(0);
    expect(report.latencySummary([3, 1, 2])).toEqual({ p50: 2, p90: 3, p99: 3, p999: 3, max: 3 });
  });

  it('keeps a bounded sample of latencies while counting every delivery', () => {
    const tally = new report.BenchTally();
    for (let i = 0; i < report.MAX_LATENCY_SAMPLES + 10; i++) tally.deliver(1, () => 0.999999);
    expect(tally.delivered).toBe(report.MAX_LATENCY_SAMPLES + 10);
    expect(tally.latenciesMs).toHaveLength(report.MAX_LATENCY_SAMPLES);
  });

  it('formats the progress line and the result', () => {
    expect(report.formatProgress(1, 4, { published: 1200, delivered: 2400 }, 2400.4)).toBe(
      '[#####...............] 1/4s  published 1,200  delivered 2,400  2,400 deliveries/s',
    );
    const text = report.formatBenchResult({
      publishers: 2,
      subscribers: 1,
      rooms: 1,
      size: 128,
      rate: 1000,
      durationS: 5,
      published: 5000,
      expected: 5000,
      delivered: 4990,
      lost: 10,
      seconds: 5.2,
      publishedPerSecond: 1000,
      deliveriesPerSecond: 998,
      latencyMs: { p50: 0.5, p90: 1, p99: 12.25, p999: 20, max: 30 },
    });
    expect(text).toBe(
      [
        '2 publishers, 1 subscriber, 1 room, 128-byte events, 1,000 events/s, 5 s',
        'published   5,000 events (1,000/s)',
        'delivered   4,990 of 5,000 deliveries (998/s), lost 10',
        'latency     p50 0.50 ms  p90 1.00 ms  p99 12.3 ms  p99.9 20.0 ms  max 30.0 ms',
      ].join('\n'),
    );
  });
});
