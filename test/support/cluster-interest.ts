import { getJson, Json } from './http';
import { TestHub } from './hub-harness';
import { monitor, NatsCluster, startNatsCluster } from './nats-cluster';
import { waitFor } from './wait-for';

/** The hubs' subjects under the default prefix (`HUB_NATS_SUBJECT_PREFIX`). */
const HUB_SUBJECTS = 'ces.';
const isHubSubject = (subject: string) => subject.startsWith(HUB_SUBJECTS);

/** A hub's /status `cluster` part. */
export async function clusterStatus(hub: { httpUrl: string }): Promise<Json> {
  return (await getJson(`${hub.httpUrl}/status`)).cluster;
}

/** Waits until both NATS connections of each hub are up. */
export function untilConnected(hubs: { httpUrl: string }[], timeoutMs = 10_000): Promise<void> {
  return waitFor(
    async () =>
      (await Promise.all(hubs.map(clusterStatus))).every(
        (cluster) => cluster.state === 'connected' && cluster.groupsState === 'connected',
      ),
    'the hubs to connect to NATS',
    timeoutMs,
  );
}

/**
 * A three-server NATS cluster started before the spec's tests and stopped after them, with an
 * interest probe on it (read `nats` and `probe` inside hooks and tests).
 */
export function natsClusterPerSpec(): { nats: NatsCluster; probe: ClusterInterestProbe } {
  const cluster = {} as { nats: NatsCluster; probe: ClusterInterestProbe };
  beforeAll(async () => {
    cluster.nats = await startNatsCluster(3);
    cluster.probe = new ClusterInterestProbe(cluster.nats);
  });
  afterAll(() => cluster.nats.stop());
  return cluster;
}

/**
 * Starts a hub on each server of the NATS cluster (or, with `allServers`, three hubs that
 * each know every server), with `env` besides, and waits until all are connected.
 */
export async function hubsOnCluster<H extends { httpUrl: string }>(
  nats: NatsCluster,
  start: (env: Record<string, string | number>) => Promise<H>,
  env: Record<string, string | number> = {},
  allServers = false,
): Promise<H[]> {
  const hubs: H[] = [];
  for (const node of nats.nodes)
    hubs.push(await start({ HUB_NATS_SERVERS: allServers ? nats.servers : node.url, ...env }));
  await untilConnected(hubs);
  return hubs;
}

/**
 * Knows when the hubs' interest has spread over the NATS cluster: each server's count of
 * subscriptions on the hubs' subjects (its clients' own and those its routes told it of)
 * against what it held before the hubs' peers subscribed (the hubs' standing queue groups).
 */
export class ClusterInterestProbe {
  private baseline: (number | undefined)[] = [];

  constructor(private readonly nats: NatsCluster) {}

  /** Takes the counts of now as the baseline: call it before the hubs' peers subscribe. */
  async takeBaseline(): Promise<void> {
    // The hubs' standing subscriptions (queue groups) spread over the routes: the same counts for 600 ms.
    let previous: (number | undefined)[] = [];
    let sameSince = Date.now();
    await waitFor(
      async () => {
        const counts = await this.counts();
        if (!counts.every((count, i) => count === previous[i])) sameSince = Date.now();
        previous = counts;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return Date.now() - sameSince >= 600;
      },
      'the NATS servers to settle',
      15_000,
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

  /**
   * Each server's subscriptions on the hubs' subjects only: JetStream and the system account
   * add and drop subscriptions of their own at times, which a plain total would count.
   */
  private counts(): Promise<(number | undefined)[]> {
    return Promise.all(
      this.nats.nodes.map(async (node) => {
        // Its own clients' subscriptions, and those each route has told it of.
        const subsz = await monitor(node, 'subsz?subs=1&limit=100000');
        const routez = await monitor(node, 'routez?subs=1');
        const local = subsz?.subscriptions_list as { subject: string }[] | undefined;
        const routes = routez?.routes as { subscriptions_list?: string[] }[] | undefined;
        if (local === undefined || routes === undefined) return undefined;
        const routed = routes.flatMap((route) => route.subscriptions_list ?? []);
        return [...local.map((sub) => sub.subject), ...routed].filter(isHubSubject).length;
      }),
    );
  }
}
