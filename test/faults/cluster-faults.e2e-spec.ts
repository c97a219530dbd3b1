import { AppProcess, freePort, runHub } from '../support/built-app';
import { ClusterInterestProbe, clusterStatus, untilConnected } from '../support/cluster-interest';
import { startHub, TestHub } from '../support/hub-harness';
import { NatsCluster, startNatsCluster } from '../support/nats-cluster';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const RATE = 2_000; // events per second, over all publishers
const TICK_MS = 10;
const RUN_MS = 4_000;
const KILL_AT_MS = 1_500;

/** What one subscriber got of one publisher's events: lost and duplicated, by sequence. */
function tally(peer: WsPeer, publisher: string, sent: number) {
  const seen = new Map<number, number>();
  for (const { event } of peer.events) {
    const { p, n } = event as { p: string; n: number };
    if (p === publisher) seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  let duplicated = 0;
  for (const count of seen.values()) duplicated += count - 1;
  return { sent, received: seen.size, lost: sent - seen.size, duplicated };
}

/** Sends `perTick` numbered events every tick for `ms`; resolves with how many were sent. */
function publish(peer: WsPeer, publisher: string, perTick: number, ms: number): Promise<number> {
  return new Promise((resolve) => {
    let n = 0;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started >= ms || peer.socket.readyState !== peer.socket.OPEN) {
        clearInterval(timer);
        return resolve(n);
      }
      for (let i = 0; i < perTick; i++) peer.send('R', { p: publisher, n: n++ });
    }, TICK_MS);
  });
}

/** Sends warm-up events (not counted by `tally`) until each subscriber has had one. */
function untilCarried(publisher: WsPeer, subscribers: WsPeer[]): Promise<void> {
  const warm = (peer: WsPeer) =>
    peer.events.some((e) => (e.event as { p: string }).p === 'warm-up');
  return waitFor(
    () => {
      publisher.send('R', { p: 'warm-up' });
      return subscribers.every(warm);
    },
    'the cluster to carry room R to both subscribers',
    10_000,
  );
}

/**
 * Faults under load in cluster mode (NATS core: plain subscribers get each event at most
 * once). Each test reports what the subscribers lost and got twice, per publisher, and how
 * long the cluster took to carry events again.
 */
describe('cluster mode: faults under 2,000 events/s', () => {
  let nats: NatsCluster;
  const hubs: TestHub[] = [];
  const processes: AppProcess[] = [];
  const peers: WsPeer[] = [];
  const connect = async (url: string) => {
    const peer = await WsPeer.connect(`${url}/connect/messenger`);
    peers.push(peer);
    return peer;
  };

  beforeEach(async () => {
    nats = await startNatsCluster(3);
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await Promise.all(hubs.splice(0).map((hub) => hub.close()));
    await Promise.all(processes.splice(0).map((app) => app.close()));
    await nats.stop();
  });

  it('loses nothing between the other hubs, and duplicates nothing, when a hub is killed', async () => {
    const port = await freePort();
    const victim = await runHub(port, {
      HUB_ID: 'hub-victim',
      HUB_NATS_SERVERS: nats.nodes[0].url,
      LOG_LEVEL: 'warn',
    });
    processes.push(victim);
    const victimUrl = { url: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}` };
    hubs.push(await startHub({ HUB_NATS_SERVERS: nats.nodes[1].url }));
    hubs.push(await startHub({ HUB_NATS_SERVERS: nats.nodes[2].url }));
    const [survivor, watcherHub] = hubs;
    await untilConnected([victimUrl, ...hubs]);
    const probe = new ClusterInterestProbe(nats);
    await probe.takeBaseline();
    const onVictim = await connect(victimUrl.url);
    const onSurvivor = await connect(survivor.url);
    const watcher = await connect(watcherHub.url);
    await watcher.subscribe(['R']);
    await probe.untilSpread(1);

    const perTick = (RATE * TICK_MS) / 1000 / 2;
    const killedAt = new Promise<number>((resolve) =>
      setTimeout(() => {
        victim.child.kill('SIGKILL');
        resolve(Date.now());
      }, KILL_AT_MS),
    );
    const [fromVictim, fromSurvivor] = await Promise.all([
      publish(onVictim, 'victim', perTick, RUN_MS),
      publish(onSurvivor, 'survivor', perTick, RUN_MS),
    ]);
    await killedAt;
    await waitFor(
      () => tally(watcher, 'survivor', fromSurvivor).received === fromSurvivor,
      'every event of the surviving hub',
      10_000,
    );
    await watcher.roundTrip();
    const survivorTally = tally(watcher, 'survivor', fromSurvivor);
    const victimTally = tally(watcher, 'victim', fromVictim);
    console.log('cluster, hub SIGKILL:', { survivor: survivorTally, victim: victimTally });
    expect(survivorTally).toMatchObject({ lost: 0, duplicated: 0 });
    // The killed hub's publisher lost what the hub had not yet put on NATS; nothing twice.
    expect(victimTally.duplicated).toBe(0);
    expect(victimTally.received).toBeGreaterThan(0);
  });

  it('fails over to another NATS server when one is killed: nothing twice, losses bounded', async () => {
    const servers = nats.servers;
    for (let i = 0; i < 3; i++) hubs.push(await startHub({ HUB_NATS_SERVERS: servers }));
    const [publisherHub, ...subscriberHubs] = hubs;
    await untilConnected(hubs);
    const publisher = await connect(publisherHub.url);
    const subscribers = await Promise.all(subscriberHubs.map((hub) => connect(hub.url)));
    for (const subscriber of subscribers) await subscriber.subscribe(['R']);
    // The hubs pick their servers at random, and routes carry one interest per subject
    // whatever the number of hubs behind it, so no subscription count says "ready" here:
    // the first event that reaches both subscribers does.
    await untilCarried(publisher, subscribers);

    // The server the publishing hub is on: the worst one to lose.
    const server = (await clusterStatus(publisherHub)).server as string;
    const victim = nats.nodes.find((node) => new URL(node.url).port === server.split(':')[1])!;
    expect(victim).toBeDefined();
    let killedAt = 0;
    let failedOver: Promise<number> | undefined;
    const kill = setTimeout(() => {
      killedAt = Date.now();
      void victim.kill();
      // How long the publishing hub had no NATS: from the kill to its reconnection.
      failedOver = waitFor(
        async () => (await clusterStatus(publisherHub)).reconnects > 0,
        'the publishing hub to fail over',
        10_000,
      ).then(() => Date.now() - killedAt);
    }, KILL_AT_MS);
    const sent = await publish(publisher, 'p', (RATE * TICK_MS) / 1000, RUN_MS);
    clearTimeout(kill);
    expect(failedOver).toBeDefined();
    const failoverMs = await failedOver!;
    const reconnected = (await clusterStatus(publisherHub)).reconnects;
    // Everything published after the failover arrives: the last event reaches both.
    await Promise.all(
      subscribers.map((subscriber) =>
        waitFor(
          () => subscriber.events.some((e) => (e.event as { n: number }).n === sent - 1),
          'the last event',
          10_000,
        ),
      ),
    );
    const allDeliveredAfterMs = Date.now() - killedAt;
    const tallies = subscribers.map((subscriber) => tally(subscriber, 'p', sent));
    console.log('cluster, NATS server SIGKILL:', {
      tallies,
      reconnected,
      failoverMs,
      allDeliveredAfterMs,
    });
    for (const each of tallies) {
      expect(each.duplicated).toBe(0);
      // At most once: what was in flight at the dead server, and what the hub wrote to it
      // before it noticed, is lost; never more than the events of the outage's seconds.
      expect(each.lost).toBeLessThan(sent / 2);
    }
  });
});
