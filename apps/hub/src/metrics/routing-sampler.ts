import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { MetricsRegistry } from '@ces/server-kit';

/** One routed event in this many is timed. A power of two keeps the countdown trivial. */
export const ROUTING_SAMPLE_EVERY = 1024;

/**
 * Times a sample of the hub's routing (room line, routing decision, writes to every
 * recipient) into `ces_hub_routing_duration_seconds`. The forwarder calls `begin()` for
 * each event — a decrement and a compare — and `end()` only for the sampled ones.
 */
@Injectable()
export class RoutingSampler {
  private countdown: number;
  private readonly histogram: Histogram;

  constructor(metrics: MetricsRegistry) {
    this.countdown = ROUTING_SAMPLE_EVERY;
    this.histogram = new Histogram({
      name: 'ces_hub_routing_duration_seconds',
      help: `Time to route one event, from its frame to the last write; one event in ${ROUTING_SAMPLE_EVERY} is timed`,
      buckets: [
        0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005,
        0.01, 0.025, 0.1,
      ],
      registers: [metrics.registry],
    });
  }

  /** Called once per event: a start time for one event in ROUTING_SAMPLE_EVERY, else 0. */
  begin(): number {
    if (--this.countdown > 0) return 0;
    this.countdown = ROUTING_SAMPLE_EVERY;
    return performance.now();
  }

  /** Records a sampled event; `startedAt` is what `begin()` returned for it. */
  end(startedAt: number): void {
    this.histogram.observe((performance.now() - startedAt) / 1000);
  }
}
