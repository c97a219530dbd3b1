import { getJson, Json } from './http';
import { TestHub } from './hub-harness';
import { monitor, NatsCluster } from './nats-cluster';
import { waitFor } from './wait-for';

/** A hub's /status `cluster` part. */
export async function clusterStatus(hub: { httpUrl: string }): Promise<Json> {
  return (await getJson(`${hub.httpUrl}/status`)).cluster;
}

/**
 * Knows when the hubs' interest has spread over the NATS cluster: each server's subscription
 * count (its clients' own and those its routes told it of) against what it held before the
 * hubs subscribed (NATS's own, JetStream's).
 */
export class ClusterInterestProbe {
  private baseline: (number | undefined)[] = [];

  constructor(private readonly nats: NatsCluster) {}

  /** Takes the counts of now as the baseline: call it before the hubs' peers subscribe. */
  async takeBaseline(): Promise<void> {
    // NATS's own subscriptions settle after it starts: the same counts twice, a moment apart.
    let previous: (number | undefined)[] = [];
    await waitFor(
      async () => {
        const counts = await this.counts();
        const same = counts.every((count, i) => count === previous[i]);
        previous = counts;
        if (!same) await new Promise((resolve) => setTimeout(resolve, 200));
        return same;
      },
      'the NATS servers to settle',
      10_000,
    );
    this.baseline = previous;
  }

  /** Waits until every running server holds `extra` subscriptions over its baseline. */
  untilSpread(extra: number, timeoutMs = 10_000): Promise<void> {
    return waitFor(
      async () =>
        (await this.counts()).every(
          (count, i) => count === undefined || count === (this.baseline[i] ?? 0) + extra,
        ),
      `every NATS server to hold ${extra} subscriptions of the hubs`,
      timeoutMs,
    );
  }

  /** Waits until every subscription the hubs hold (as /status counts them) is known everywhere. */
  async settle(hubs: TestHub[]): Promise<void> {
    const held = async () => {
      let total = 0;
      for (const hub of hubs) {
        const { rooms, groups } = (await clusterStatus(hub)).subscriptions;
        total += rooms + groups;
      }
      return total;
    };
    await waitFor(async () => (await held()) > 0, 'the hubs to subscribe');
    await this.untilSpread(await held());
  }

  private counts(): Promise<(number | undefined)[]> {
    return Promise.all(
      this.nats.nodes.map(
        async (node) => (await monitor(node, 'subsz'))?.num_subscriptions as number | undefined,
      ),
    );
  }
}
