import { Counter } from 'prom-client';
import { addressLabel, MetricsRegistry } from './metrics-registry';

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
