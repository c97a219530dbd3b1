import { AppProcess, freePort, runHub } from '../support/built-app';
import { clusterStatus, untilConnected } from '../support/cluster-interest';
import { Json } from '../support/http';
import { NatsCluster, startNatsCluster } from '../support/nats-cluster';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const RATE = 2_000; // events per second
const TICK_MS = 10;
const RUN_MS = 4_000;
const KILL_AT_MS = 1_500;
/** Short, so that what a killed hub's member had not acknowledged comes back within the test. */
const ACK_TIMEOUT_MS = 2_000;
/** Bounds on what follows a fault: the group has every confirmed event again within this. */
const RECOVERY_BOUND_MS = 20_000;
const GROUP = { group: 'billing', durable: true };

/** A publisher with publish confirms (protocol §4.4): event `n` has sequence `n + 1`. */
class ConfirmedPublisher {
  sent = 0;

  constructor(readonly peer: WsPeer) {
    peer.sendRaw(JSON.stringify({ confirm: { publisher: 'durable-faults', next: 1 } }), false);
  }

  private get replies(): { confirmed?: number; refused?: { seq: number } }[] {
    return this.peer.texts.map((text) => JSON.parse(text) as never);
  }

  /** Events numbered below this were settled by the hub: confirmed, or refused and reported. */
  get confirmed(): number {
    let upTo = 0;
    for (const { confirmed } of this.replies)
      if (confirmed !== undefined) upTo = Math.max(upTo, confirmed);
    return upTo;
  }

  /** The numbers of the events the hub refused. */
  get refused(): Set<number> {
    const refused = new Set<number>();
    for (const reply of this.replies) if (reply.refused) refused.add(reply.refused.seq - 1);
    return refused;
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

/** When each event frame reached any member (ms since the epoch), in order. */
const arrivals: number[] = [];

/** A group member that acknowledges everything it got, every few milliseconds. */
function acknowledging(peer: WsPeer): () => void {
  let events = 0;
  const count = (_data: unknown, binary: boolean) => {
    if (!binary) return;
    events++;
    arrivals.push(Date.now());
  };
  peer.socket.on('message', count);
  const timer = setInterval(() => {
    if (peer.socket.readyState === peer.socket.OPEN)
      peer.sendRaw(JSON.stringify({ ack: events }), false);
  }, 20);
  return () => {
    clearInterval(timer);
    peer.socket.off('message', count);
  };
}

/** The longest time the group got no event between `from` and `to`: the outage its members saw. */
function longestGap(from: number, to: number): number {
  let gap = 0;
  let last = from;
  for (const at of arrivals) {
    if (at < from || at > to) continue;
    gap = Math.max(gap, at - last);
    last = at;
  }
  return Math.max(gap, to - last);
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

/** Lost (confirmed, and not), duplicated, refused: over the events sent. */
function tally(members: WsPeer[], publisher: ConfirmedPublisher, sent: number) {
  const counts = seen(members);
  const confirmed = publisher.confirmed;
  const refused = publisher.refused;
  let lostConfirmed = 0;
  let lostUnconfirmed = 0;
  let duplicated = 0;
  for (let n = 0; n < sent; n++) {
    if (counts.has(n) || refused.has(n)) continue;
    if (n < confirmed) lostConfirmed++;
    else lostUnconfirmed++;
  }
  for (const count of counts.values()) duplicated += count - 1;
  return {
    sent,
    confirmed,
    refused: refused.size,
    received: counts.size,
    lostConfirmed,
    lostUnconfirmed,
    duplicated,
  };
}

/**
 * Faults under 2,000 events/s to a durable group in cluster mode, its stream replicated on
 * three NATS servers, the hubs as built processes: no event the publishing hub confirmed is
 * lost (the hub an event enters puts it in the stream, and confirms once JetStream
 * acknowledged it). Reported: what came twice (a member's events given again after its hub
 * died, or their acks did, before JetStream had them) and how long until the group had
 * every confirmed event.
 */
describe('cluster mode: a durable group in JetStream under faults', () => {
  let nats: NatsCluster;
  const processes: AppProcess[] = [];
  const peers: WsPeer[] = [];
  const stops: (() => void)[] = [];
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

  /** A built hub on the cluster (`servers`: the NATS URLs it may use). */
  async function hub(id: string, servers: string) {
    const port = await freePort();
    processes.push(
      await runHub(port, {
        HUB_ID: id,
        HUB_NATS_SERVERS: servers,
        HUB_NATS_REPLICAS: '3',
        HUB_ACK_TIMEOUT_MS: String(ACK_TIMEOUT_MS),
        LOG_LEVEL: 'warn',
      }),
    );
    return {
      process: processes.at(-1)!,
      url: `ws://127.0.0.1:${port}`,
      httpUrl: `http://127.0.0.1:${port}`,
    };
  }

  /** Sends warm-up events until every member heard one: the group's directory has spread. */
  async function warmUp(publisher: WsPeer, members: WsPeer[]): Promise<void> {
    const timer = setInterval(() => publisher.send('R', { warmUp: true }), 50);
    try {
      await waitFor(() => members.every((m) => m.events.length > 0), 'warm-up events', 15_000);
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * Runs the publisher with a fault at KILL_AT_MS, waits for every confirm, then until the
   * group has every confirmed event (bounded); returns the tally and the time since the kill.
   */
  async function runWithFault(publisher: ConfirmedPublisher, members: WsPeer[], fault: () => void) {
    let killedAt = 0;
    const kill = setTimeout(() => {
      killedAt = Date.now();
      fault();
    }, KILL_AT_MS);
    const sent = await publisher.run(RUN_MS);
    const ranUntil = Date.now();
    clearTimeout(kill);
    expect(killedAt).toBeGreaterThan(0);
    await waitFor(() => publisher.confirmed === sent, 'every event to be settled', 40_000);
    const settledAfterRunMs = Date.now() - ranUntil;
    await waitFor(
      () => tally(members, publisher, sent).lostConfirmed === 0,
      'every confirmed event to reach the group',
      RECOVERY_BOUND_MS,
    ).catch(() => undefined); // reported and asserted below
    const allDeliveredAt = Date.now();
    const times = {
      // The longest the group went without an event, from the kill until it had everything.
      deliveryGapMs: longestGap(killedAt, allDeliveredAt),
      settledAfterRunMs,
      // From the kill until the group had every confirmed event.
      allDeliveredAfterMs: allDeliveredAt - killedAt,
    };
    return { result: tally(members, publisher, sent), times };
  }

  const jetStreams = (hubs: { httpUrl: string }[]) =>
    Promise.all(
      hubs.map(async (each) => {
        const { published, duplicates, keptLocally, refused, publishRetries, givenBack } = (
          await clusterStatus(each)
        ).jetStream as Json;
        return { published, duplicates, keptLocally, refused, publishRetries, givenBack };
      }),
    );

  beforeEach(async () => {
    nats = await startNatsCluster(3);
  });

  afterEach(async () => {
    stops.splice(0).forEach((stop) => stop());
    arrivals.length = 0;
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await Promise.all(processes.splice(0).map((app) => app.close()));
    await nats.stop();
  });

  it("loses no confirmed event when the publishing hub's NATS server is killed", async () => {
    const hubs = [];
    for (let i = 0; i < 3; i++) hubs.push(await hub(`hub-${i}`, nats.servers));
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
    const { result, times } = await runWithFault(publisher, members, () => {
      void victim.kill();
    });
    console.log("durable group in JetStream, publishing hub's NATS server SIGKILL:", {
      ...result,
      ...times,
      jetStream: await jetStreams(hubs),
    });
    expect(result.received).toBeGreaterThan(0);
    expect(result.lostConfirmed).toBe(0);
    // JetStream failed over well within the 30 s a publish is tried: nothing refused.
    expect(result.refused).toBe(0);
    expect(result.duplicated).toBeLessThan(RATE);
    expect(times.allDeliveredAfterMs).toBeLessThan(RECOVERY_BOUND_MS + RUN_MS);
  }, 120_000);

  it("loses no confirmed event when a member's hub is killed", async () => {
    const victim = await hub('hub-victim', nats.nodes[0].url);
    const memberHub = await hub('hub-member', nats.nodes[1].url);
    const publisherHub = await hub('hub-publisher', nats.nodes[2].url);
    await untilConnected([victim, memberHub, publisherHub]);
    const members = [await member(victim.url), await member(memberHub.url)];
    const publisherPeer = await connect(publisherHub.url);
    await warmUp(publisherPeer, members);
    const publisher = new ConfirmedPublisher(publisherPeer);

    const { result, times } = await runWithFault(publisher, members, () =>
      victim.process.child.kill('SIGKILL'),
    );
    // What the killed hub's member had not acknowledged came back after the ack wait.
    console.log("durable group in JetStream, a member's hub SIGKILL:", {
      ...result,
      onKilledHub: members[0].events.length,
      ...times,
      jetStream: await jetStreams([memberHub, publisherHub]),
    });
    expect(members[0].events.length).toBeGreaterThan(0);
    expect(result.lostConfirmed).toBe(0);
    expect(result.refused).toBe(0);
    expect(result.duplicated).toBeLessThan(RATE);
    expect(times.allDeliveredAfterMs).toBeLessThan(RECOVERY_BOUND_MS + RUN_MS);
  }, 120_000);
});
