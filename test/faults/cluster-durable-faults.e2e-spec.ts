import { AppProcess, builtApp, freePort, runApp } from '../support/built-app';
import { clusterStatus, untilConnected } from '../support/cluster-interest';
import { startHub, TestHub } from '../support/hub-harness';
import { NatsCluster, startNatsCluster } from '../support/nats-cluster';
import { untilHealthy, waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const RATE = 2_000; // events per second
const TICK_MS = 10;
const RUN_MS = 4_000;
const KILL_AT_MS = 1_500;
/** Short, so that what a killed hub's member had not acknowledged comes back within the test. */
const ACK_TIMEOUT_MS = 2_000;
const GROUP = { group: 'billing', durable: true };

/** A publisher with publish confirms (protocol §4.4): event `n` has sequence `n + 1`. */
class ConfirmedPublisher {
  sent = 0;

  constructor(readonly peer: WsPeer) {
    peer.sendRaw(JSON.stringify({ confirm: { publisher: 'durable-faults', next: 1 } }), false);
  }

  /** Events numbered below this were confirmed by the hub. */
  get confirmed(): number {
    let upTo = 0;
    for (const text of this.peer.texts) {
      const message = JSON.parse(text) as { confirmed?: number };
      if (message.confirmed !== undefined) upTo = Math.max(upTo, message.confirmed);
    }
    return upTo;
  }

  /** Sends numbered events at RATE for `ms`; resolves with how many were sent. */
  run(ms: number): Promise<number> {
    const perTick = (RATE * TICK_MS) / 1000;
    return new Promise((resolve) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (Date.now() - started >= ms) {
          clearInterval(timer);
          return resolve(this.sent);
        }
        for (let i = 0; i < perTick; i++) this.peer.send('R', { n: this.sent++ });
      }, TICK_MS);
    });
  }
}

/** A group member that acknowledges everything it got, every few milliseconds. */
function acknowledging(peer: WsPeer): () => void {
  const timer = setInterval(() => {
    if (peer.socket.readyState === peer.socket.OPEN)
      peer.sendRaw(JSON.stringify({ ack: peer.events.length }), false);
  }, 20);
  return () => clearInterval(timer);
}

/** How often each numbered event reached any of `members`. */
function seen(members: WsPeer[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const member of members)
    for (const { event } of member.events) {
      const n = (event as { n?: number }).n;
      if (n !== undefined) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
  return counts;
}

function tally(members: WsPeer[], sent: number, confirmed: number) {
  const counts = seen(members);
  let lostConfirmed = 0;
  let lostUnconfirmed = 0;
  let duplicated = 0;
  for (let n = 0; n < sent; n++) {
    if (counts.has(n)) continue;
    if (n < confirmed) lostConfirmed++;
    else lostUnconfirmed++;
  }
  for (const count of counts.values()) duplicated += count - 1;
  // After the fault: the last second's events, published once the cluster was whole again.
  let lostAtTheEnd = 0;
  for (let n = Math.max(0, sent - RATE); n < sent; n++) if (!counts.has(n)) lostAtTheEnd++;
  return {
    sent,
    confirmed,
    received: counts.size,
    lostConfirmed,
    lostUnconfirmed,
    lostAtTheEnd,
    duplicated,
  };
}

/**
 * What the design guarantees today: nothing of the stream is lost, and the group gets
 * everything once the cluster is whole again. Not yet: an event the publishing hub had
 * confirmed can still be lost on its NATS core hop to the hub that puts it in the stream
 * (in flight at the dead server or hub), so that loss is bounded and reported, not zero.
 */
function expectBoundedLoss(result: ReturnType<typeof tally>): void {
  expect(result.received).toBeGreaterThan(0);
  expect(result.lostAtTheEnd).toBe(0);
  expect(result.lostConfirmed).toBeLessThan(result.sent / 50);
}

/**
 * Faults under 2,000 events/s to a durable group in cluster mode, its stream replicated on
 * three NATS servers: what the publishing hub confirmed and was lost, what comes twice (a
 * member's events given again after its hub died before their acks reached JetStream) and
 * how long until the group had everything are reported.
 */
describe('cluster mode: a durable group in JetStream under faults', () => {
  let nats: NatsCluster;
  const hubs: TestHub[] = [];
  const processes: AppProcess[] = [];
  const peers: WsPeer[] = [];
  const stops: (() => void)[] = [];
  const durableSettings = { HUB_NATS_REPLICAS: 3, HUB_ACK_TIMEOUT_MS: ACK_TIMEOUT_MS };
  const connect = async (url: string) => {
    const peer = await WsPeer.connect(`${url}/connect/messenger`);
    peers.push(peer);
    return peer;
  };
  const member = async (url: string) => {
    const peer = await connect(url);
    await peer.subscribe(['R'], GROUP);
    stops.push(acknowledging(peer));
    return peer;
  };

  /** Sends warm-up events until every member heard one: the group's interest has spread. */
  async function warmUp(publisher: WsPeer, members: WsPeer[]): Promise<void> {
    const timer = setInterval(() => publisher.send('R', { warmUp: true }), 50);
    try {
      await waitFor(() => members.every((m) => m.events.length > 0), 'warm-up events', 15_000);
    } finally {
      clearInterval(timer);
    }
  }

  beforeEach(async () => {
    nats = await startNatsCluster(3);
  });

  afterEach(async () => {
    stops.splice(0).forEach((stop) => stop());
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await Promise.all(hubs.splice(0).map((hub) => hub.close()));
    for (const app of processes.splice(0)) {
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
      await app.exited;
    }
    await nats.stop();
  });

  it('keeps the stream whole when one NATS server is killed; reports the confirmed events lost', async () => {
    for (let i = 0; i < 3; i++)
      hubs.push(await startHub({ HUB_NATS_SERVERS: nats.servers, ...durableSettings }));
    await untilConnected(hubs);
    const [publisherHub, ...memberHubs] = hubs;
    const members = [await member(memberHubs[0].url), await member(memberHubs[1].url)];
    const publisherPeer = await connect(publisherHub.url);
    await warmUp(publisherPeer, members);
    const publisher = new ConfirmedPublisher(publisherPeer);

    // The server the publishing hub is on: the worst one to lose.
    const server = (await clusterStatus(publisherHub)).server as string;
    const victim = nats.nodes.find((node) => new URL(node.url).port === server.split(':')[1])!;
    expect(victim).toBeDefined();
    let killedAt = 0;
    const kill = setTimeout(() => {
      killedAt = Date.now();
      void victim.kill();
    }, KILL_AT_MS);
    const sent = await publisher.run(RUN_MS);
    clearTimeout(kill);
    await waitFor(() => publisher.confirmed === sent, 'every event to be confirmed', 20_000);
    const confirmed = publisher.confirmed;
    await waitFor(
      () => tally(members, sent, confirmed).lostConfirmed === 0,
      'every confirmed event to reach the group',
      10_000,
    ).catch(() => undefined); // reported and asserted below
    const allDeliveredAfterMs = Date.now() - killedAt;
    await Promise.all(members.map((peer) => peer.roundTrip()));
    const result = tally(members, sent, confirmed);
    console.log('durable group in JetStream, NATS server SIGKILL:', {
      ...result,
      allDeliveredAfterMs,
      jetStream: await Promise.all(hubs.map(async (hub) => (await clusterStatus(hub)).jetStream)),
    });
    expectBoundedLoss(result);
  }, 90_000);

  it('keeps the stream whole when the hub of a member is killed; reports the confirmed events lost', async () => {
    const port = await freePort();
    const victim = runApp(builtApp('hub'), {
      HUB_PORT: String(port),
      HUB_HOST: '127.0.0.1',
      HUB_ID: 'hub-victim',
      HUB_STORE: 'memory',
      HUB_NATS_SERVERS: nats.nodes[0].url,
      HUB_NATS_REPLICAS: '3',
      HUB_ACK_TIMEOUT_MS: String(ACK_TIMEOUT_MS),
      LOG_LEVEL: 'warn',
    });
    processes.push(victim);
    await untilHealthy(port, 'the hub to be killed');
    const victimHub = { url: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}` };
    hubs.push(await startHub({ HUB_NATS_SERVERS: nats.nodes[1].url, ...durableSettings }));
    hubs.push(await startHub({ HUB_NATS_SERVERS: nats.nodes[2].url, ...durableSettings }));
    const [memberHub, publisherHub] = hubs;
    await untilConnected([victimHub, ...hubs]);
    const members = [await member(victimHub.url), await member(memberHub.url)];
    const publisherPeer = await connect(publisherHub.url);
    await warmUp(publisherPeer, members);
    const publisher = new ConfirmedPublisher(publisherPeer);

    let killedAt = 0;
    const kill = setTimeout(() => {
      killedAt = Date.now();
      victim.child.kill('SIGKILL');
    }, KILL_AT_MS);
    const sent = await publisher.run(RUN_MS);
    clearTimeout(kill);
    await waitFor(() => publisher.confirmed === sent, 'every event to be confirmed', 20_000);
    // What the killed hub's member had not acknowledged comes back after the ack wait.
    const confirmed = publisher.confirmed;
    await waitFor(
      () => tally(members, sent, confirmed).lostConfirmed === 0,
      'every confirmed event to reach the group',
      10_000,
    ).catch(() => undefined); // reported and asserted below
    const allDeliveredAfterMs = Date.now() - killedAt;
    await members[1].roundTrip();
    const result = tally(members, sent, confirmed);
    console.log('durable group in JetStream, member hub SIGKILL:', {
      ...result,
      onKilledHub: members[0].events.length,
      allDeliveredAfterMs,
      jetStream: await Promise.all(hubs.map(async (hub) => (await clusterStatus(hub)).jetStream)),
    });
    expectBoundedLoss(result);
  }, 90_000);
});
