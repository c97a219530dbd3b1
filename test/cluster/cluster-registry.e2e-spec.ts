import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterStatus, hubsOnCluster } from '../support/cluster-interest';
import { e2eFixtures } from '../support/fixtures';
import { startHub, TestHub } from '../support/hub-harness';
import { NatsCluster, startNatsCluster } from '../support/nats-cluster';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const QUEUE = 'geofence:created';
const TOPIC = 'member:moved';
const NOTIFIER = { name: 'notifier', queue: [QUEUE], topic: [TOPIC] };

/** The numbered events of `room` a peer got, in order (warm-up events left out). */
const numbersIn = (peer: WsPeer, room: string) =>
  peer.events
    .filter((e) => e.room === room)
    .map(({ event }) => (event as { n?: number }).n)
    .filter((n): n is number => n !== undefined);
const range = (count: number) => [...Array(count).keys()];

/**
 * The service registry in cluster mode: every hub loads the same registry, so each holds the
 * service's queue (a durable group, in JetStream) from startup and subscribes its instances to
 * the topic. Instances on three hubs: a queue event reaches one of them in the whole cluster, a
 * topic event every one.
 */
describe('cluster mode: the service registry’s queues and topics', () => {
  let nats: NatsCluster;
  let hubs: TestHub[];
  let dir: string;
  const { connect, messenger } = e2eFixtures();
  const instance = (hub: TestHub) => connect(`${hub.url}/connect/messenger?service=notifier`);
  const jetStream = async (hub: TestHub) => (await clusterStatus(hub)).jetStream;
  /** A JetStream counter of /status, summed over the hubs. */
  const total = async (counter: 'published' | 'acknowledged') => {
    let sum = 0;
    for (const hub of hubs) sum += (await jetStream(hub))[counter] as number;
    return sum;
  };
  /** Sends `count` events numbered from 0 into the queue from hub A; waits until the stream has them. */
  const sendToQueue = async (count: number) => {
    const sender = await messenger(hubs[0]);
    const publishedBefore = await total('published');
    for (let n = 0; n < count; n++) sender.send(QUEUE, { n });
    await waitFor(
      async () => (await total('published')) - publishedBefore === count,
      `the stream to take the ${count} events`,
    );
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ces-cluster-registry-'));
    const registryFile = join(dir, 'registry.json');
    writeFileSync(registryFile, JSON.stringify({ services: [NOTIFIER] }));
    nats = await startNatsCluster(3);
    hubs = await hubsOnCluster(nats, startHub, {
      HUB_REGISTRY: registryFile,
      HUB_ACK_TIMEOUT_MS: 60_000,
    });
  });

  afterAll(async () => {
    await Promise.all(hubs.map((hub) => hub.close()));
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the queue’s events in JetStream while no instance is connected, for the next one on any hub', async () => {
    // Every hub holds the queue from startup: one of them puts each event in the stream.
    await sendToQueue(20);

    const late = await instance(hubs[2]);
    await waitFor(() => numbersIn(late, QUEUE).length >= 20, 'the 20 kept events', 15_000);
    late.sendRaw(JSON.stringify({ ack: late.events.length }), false);
    await waitFor(
      async () => (await jetStream(hubs[2])).unacknowledged === 0,
      'hub C to acknowledge them',
    );
    await late.roundTrip();
    // Order is not asserted: while several hubs put a queue's events in the stream (each the
    // share NATS picked it for), the stream's order need not be the publisher's.
    expect(numbersIn(late, QUEUE).sort((x, y) => x - y)).toEqual(range(20));
  });

  it('gives each queue event to exactly one instance cluster-wide, each topic event to every instance', async () => {
    const instances = await Promise.all(hubs.map(instance));
    const sender = await messenger(hubs[0]);
    // Warm-up topic events until every instance hears one: the instances' topic interest has
    // crossed the NATS cluster by then (an event published before it reaches no hub of theirs).
    const warmUp = setInterval(() => sender.send(TOPIC, { warmUp: true }), 100);
    try {
      await waitFor(
        () => instances.every((peer) => peer.events.some((e) => e.room === TOPIC)),
        'every instance to hear the topic',
        15_000,
      );
    } finally {
      clearInterval(warmUp);
    }

    const acknowledgedBefore = await total('acknowledged');
    for (let n = 0; n < 60; n++) sender.send(QUEUE, { n });
    for (let n = 0; n < 10; n++) sender.send(TOPIC, { n });

    const queued = () => instances.flatMap((peer) => numbersIn(peer, QUEUE));
    await waitFor(() => queued().length >= 60, 'the queue’s 60 events', 15_000);
    await waitFor(
      () => instances.every((peer) => numbersIn(peer, TOPIC).length === 10),
      'the topic’s 10 events at every instance',
      15_000,
    );
    // Each acknowledges all it got: nothing is given again, so what they hold now is final.
    for (const peer of instances) peer.sendRaw(JSON.stringify({ ack: peer.events.length }), false);
    await waitFor(
      async () => (await total('acknowledged')) - acknowledgedBefore === 60,
      'the instances’ hubs to acknowledge the 60 queue events in JetStream',
    );
    await Promise.all(instances.map((peer) => peer.roundTrip()));

    expect(queued().sort((x, y) => x - y)).toEqual(range(60));
    // The queue is one group for the whole cluster: more than one hub's instance had a share.
    expect(instances.filter((peer) => numbersIn(peer, QUEUE).length > 0).length).toBeGreaterThan(1);
    for (const peer of instances) expect(numbersIn(peer, TOPIC)).toEqual(range(10));
    for (const hub of hubs) expect((await jetStream(hub)).keptLocally).toBe(0);
  });

  it('gives what came while a hub’s last instance was away to the next one there, without waiting for the ack wait', async () => {
    const c = hubs[2];
    const first = await instance(c);
    await waitFor(
      async () => ((await jetStream(c)).pulling as string[]).includes('notifier'),
      'hub C to pull for its instance',
    );
    await first.close();
    await sendToQueue(20);

    // Back within the second hub C's last pull may still wait: what that pull took while no
    // instance was there goes back to the stream, and to this instance, at once.
    const next = await instance(c);
    await waitFor(() => numbersIn(next, QUEUE).length >= 20, 'the 20 events', 15_000);
    await next.roundTrip();
    expect(numbersIn(next, QUEUE).sort((x, y) => x - y)).toEqual(range(20));
    next.sendRaw(JSON.stringify({ ack: next.events.length }), false);
    await waitFor(
      async () => (await jetStream(c)).unacknowledged === 0,
      'hub C to acknowledge them',
    );
  });
});
