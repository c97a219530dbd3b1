import { getJson, Json } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { ClusterInterestProbe, clusterStatus, untilConnected } from '../support/cluster-interest';
import { NatsCluster, startNatsCluster } from '../support/nats-cluster';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

/**
 * A hub that cannot reach NATS (its path to its server cut, the server itself up and
 * serving the other hub) goes on routing locally, keeps what the cluster should get in a
 * bounded buffer and says so; once the path is back the buffered events reach the other hub.
 */
describe('cluster mode: a hub cut off from NATS', () => {
  let nats: NatsCluster;
  let proxy: TcpProxy;
  let cutOff: TestHub;
  let other: TestHub;
  const peers: WsPeer[] = [];
  const connect = async (hub: TestHub) => {
    const peer = await WsPeer.connect(`${hub.url}/connect/messenger`);
    peers.push(peer);
    return peer;
  };

  beforeAll(async () => {
    nats = await startNatsCluster(3);
  });

  afterAll(async () => {
    await nats.stop();
  });

  beforeEach(async () => {
    proxy = await startTcpProxy(Number(new URL(nats.nodes[0].url).port));
    cutOff = await startHub({
      HUB_NATS_SERVERS: `nats://127.0.0.1:${proxy.port}`,
      HUB_NATS_BUFFER_EVENTS: 3,
    });
    other = await startHub({ HUB_NATS_SERVERS: nats.nodes[1].url });
    await untilConnected([cutOff, other]);
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await Promise.all([cutOff.close(), other.close()]);
    await proxy.close();
  });

  it('routes locally, buffers up to its bound, reports it and sends the buffer when back', async () => {
    const probe = new ClusterInterestProbe(nats);
    await probe.takeBaseline();
    const sender = await connect(cutOff);
    const local = await connect(cutOff);
    const remote = await connect(other);
    await local.subscribe(['R']);
    await remote.subscribe(['R']);
    await probe.settle([cutOff, other]);

    proxy.cut();
    await waitFor(
      async () => (await clusterStatus(cutOff)).state === 'disconnected',
      'the hub to notice',
    );
    for (let n = 0; n < 5; n++) sender.send('R', { n });
    expect((await local.waitForEvents(5)).map((e) => e.event)).toEqual(
      [0, 1, 2, 3, 4].map((n) => ({ n })),
    );

    const cluster = await clusterStatus(cutOff);
    expect(cluster.buffer).toMatchObject({ events: 3, maxEvents: 3, overflowed: 2 });
    // Ready but degraded: the hub serves its own peers.
    const ready = await fetch(`${cutOff.httpUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as Json).details.cluster).toMatchObject({
      status: 'up',
      connected: false,
      degraded: true,
      buffered: 3,
      overflowed: 2,
    });
    const metrics = await (await fetch(`${cutOff.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ces_hub_cluster_connected 0$/m);
    expect(metrics).toMatch(/^ces_hub_cluster_buffer_events 3$/m);
    expect(metrics).toMatch(/^ces_hub_cluster_buffer_overflow_total 2$/m);
    await remote.roundTrip();
    expect(remote.events).toEqual([]);

    proxy.restore();
    // The oldest three waited; the two that did not fit are gone.
    expect((await remote.waitForEvents(3, 10_000)).map((e) => e.event)).toEqual(
      [0, 1, 2].map((n) => ({ n })),
    );
    // Both of the hub's connections came back (they reconnect each on its own): only then is
    // the hub's cluster health connected again.
    await untilConnected([cutOff]);
    const after = await clusterStatus(cutOff);
    expect(after.buffer).toMatchObject({ events: 0, overflowed: 2 });
    expect(after.published).toBe(3);
    sender.send('R', { n: 5 });
    expect((await remote.waitForEvents(4)).map((e) => e.event)).toContainEqual({ n: 5 });
    const health = await getJson(`${cutOff.httpUrl}/health/ready`);
    expect(health.details.cluster).toMatchObject({ connected: true, degraded: false });
  });

  it('starts and serves while NATS cannot be reached, and joins the cluster once it can', async () => {
    const path = await startTcpProxy(Number(new URL(nats.nodes[0].url).port));
    path.cut();
    const late = await startHub({ HUB_NATS_SERVERS: `nats://127.0.0.1:${path.port}` });
    try {
      const probe = new ClusterInterestProbe(nats);
      await probe.takeBaseline();
      expect((await clusterStatus(late)).state).toBe('connecting');
      expect((await fetch(`${late.httpUrl}/health/ready`)).status).toBe(200);
      const sender = await connect(late);
      const local = await connect(late);
      const remote = await connect(other);
      await local.subscribe(['R']);
      await remote.subscribe(['R']);
      await probe.untilSpread(1);
      sender.send('R', { early: true });
      expect(await local.waitForEvents(1)).toEqual([{ room: 'R', event: { early: true } }]);
      expect((await clusterStatus(late)).buffer.events).toBe(1);

      path.restore();
      expect(await remote.waitForEvents(1, 15_000)).toEqual([
        { room: 'R', event: { early: true } },
      ]);
      expect((await clusterStatus(late)).state).toBe('connected');
    } finally {
      await late.close();
      await path.close();
    }
  });
});
