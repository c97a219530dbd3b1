import { MetricsRegistry } from '@ces/server-kit';
import { ROUTING_SAMPLE_EVERY, RoutingSampler } from './routing-sampler';

describe('RoutingSampler', () => {
  it('times exactly one event in ROUTING_SAMPLE_EVERY', async () => {
    const metrics = new MetricsRegistry();
    const sampler = new RoutingSampler(metrics);
    let sampled = 0;
    for (let n = 0; n < ROUTING_SAMPLE_EVERY * 3 + 5; n++) {
      const startedAt = sampler.begin();
      if (startedAt !== 0) {
        sampled++;
        sampler.end(startedAt);
      }
    }
    expect(sampled).toBe(3);
    const text = await metrics.registry.getSingleMetricAsString('ces_hub_routing_duration_seconds');
    expect(text).toMatch(/^ces_hub_routing_duration_seconds_count 3$/m);
  });
});
