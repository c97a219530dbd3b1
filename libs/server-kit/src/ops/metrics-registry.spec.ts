import { Counter } from 'prom-client';
import { addressLabel, MetricsRegistry, mirrorTally } from './metrics-registry';

describe('MetricsRegistry', () => {
  it('keeps each app’s series apart and adds the process metrics once', async () => {
    const [a, b] = [new MetricsRegistry(), new MetricsRegistry()];
    for (const metrics of [a, b])
      new Counter({ name: 'ces_test_total', help: 'test', registers: [metrics.registry] }).inc(
        metrics === a ? 1 : 2,
      );
    const [textA, textB] = [await a.metrics(), await b.metrics()];
    expect(textA).toContain('ces_test_total 1');
    expect(textB).toContain('ces_test_total 2');
    for (const text of [textA, textB])
      expect(text.match(/^# TYPE process_cpu_user_seconds_total /gm)).toHaveLength(1);
  });
});

describe('mirrorTally', () => {
  it('makes a counter equal to running totals, however often it is read', async () => {
    const metrics = new MetricsRegistry();
    const tally: Record<string, number> = { messenger: 3 };
    const counter: Counter = new Counter({
      name: 'ces_mirrored_total',
      help: 'test',
      labelNames: ['source'],
      registers: [metrics.registry],
      collect: () => mirrorTally(counter, 'source', tally),
    });
    const read = async () =>
      Object.fromEntries(
        (await counter.get()).values.map((value) => [value.labels.source, value.value]),
      );
    expect(await read()).toEqual({ messenger: 3 });
    expect(await read()).toEqual({ messenger: 3 });
    tally.messenger = 10;
    tally.api = 1;
    expect(await read()).toEqual({ messenger: 10, api: 1 });
  });
});

describe('addressLabel', () => {
  it('drops credentials, query and fragment', () => {
    expect(addressLabel('https://user:pw@example.com/events?key=secret#x')).toBe(
      'https://example.com/events',
    );
    expect(addressLabel('ws://10.5.34.12:7101')).toBe('ws://10.5.34.12:7101');
    expect(addressLabel('hub-b:7100')).toBe('hub-b:7100');
    expect(addressLabel('not a url?token=x')).toBe('not a url');
  });
});
