import { jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { connect as connectNats } from '@nats-io/transport-node';
import { Json } from '../support/http';
import { clusterStatus, hubsOnCluster, untilConnected } from '../support/cluster-interest';
import { e2eFixtures } from '../support/fixtures';
import { startHub, TestHub } from '../support/hub-harness';
import { NatsCluster, startNatsCluster } from '../support/nats-cluster';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

/** The numbered events a peer got, in order (warm-up events left out). */
const numbers = (peer: WsPeer) =>
  peer.events
    .map(({ event }) => (event as { n?: number }).n)
    .filter((n): n is number => n !== undefined);

/** The ack count that covers a peer's events up to and including number `n`. */
const ackCountThrough = (peer: WsPeer, n: number) =>
  peer.events.findIndex(({ event }) => (event as { n?: number }).n === n) + 1;

/**
 * Sends warm-up events until `member` hears one: the group's interest has crossed the NATS
 * cluster by then (an event published before it would reach no hub of the group).
 */
async function untilGroupHears(sender: WsPeer, member: WsPeer, room = 'R'): Promise<void> {
  const timer = setInterval(() => sender.send(room, { warmUp: true }), 100);
  try {
    sender.send(room, { warmUp: true });
    await member.waitForEvents(1, 15_000);
  } finally {
    clearInterval(timer);
  }
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const jetStream = async (hub: TestHub): Promise<Json> => (await clusterStatus(hub)).jetStream;

/**
 * Durable groups in cluster mode live in a replicated JetStream stream: a member that
 * leaves one hub and comes back on another gets what was published meanwhile, and what it
 * had not acknowledged, and nothing it had.
 */
describe('cluster mode: durable groups in JetStream', () => {
  let nats: NatsCluster;
  let hubs: TestHub[];
  // Each test's peers are closed after it, before the hubs the tests share.
  const { messenger: connect, hub: startClusterHub } = e2eFixtures();

  beforeAll(async () => {
    nats = await startNatsCluster(3);
    hubs = await hubsOnCluster(
      nats,
      startHub,
      { HUB_NATS_REPLICAS: 3, HUB_ACK_TIMEOUT_MS: 60_000 },
      true,
    );
  });

  afterAll(async () => {
    await Promise.all(hubs.map((hub) => hub.close()));
    await nats.stop();
  });

  it('gives a member back on another hub every event of its absence, in order, none it acknowledged', async () => {
    const [a, b, c] = hubs;
    const first = await connect(a);
    await first.subscribe(['R'], { group: 'billing', durable: true });
    const sender = await connect(c);
    await untilGroupHears(sender, first);
    // The cluster's directory names the group and the hub holding it; no core queue group.
    const status = await clusterStatus(c);
    expect(status.directory.groups).toEqual({ billing: { [a.hubId]: ['R'] } });
    expect((await clusterStatus(a)).subscriptions.groups).toBe(0);

    for (let n = 0; n < 50; n++) sender.send('R', { n });
    await waitFor(() => numbers(first).length === 50, 'the first member to get 50', 15_000);
    expect(numbers(first)).toEqual(range(0, 50));
    const acked = ackCountThrough(first, 39);
    first.sendRaw(JSON.stringify({ ack: acked }), false);
    await waitFor(async () => (await jetStream(a)).acknowledged === acked, 'hub A to ack');
    await first.close();

    // Hub A still holds the group (memberless, durable): it puts what comes into the stream.
    for (let n = 50; n < 150; n++) sender.send('R', { n });
    await waitFor(
      async () => {
        let published = 0;
        for (const hub of hubs) published += (await jetStream(hub)).published;
        return published === 150 + acked - 40;
      },
      'the stream to hold all 150 events (and the warm-up ones)',
      15_000,
    );

    const next = await connect(b);
    await next.subscribe(['R'], { group: 'billing', durable: true });
    await waitFor(() => numbers(next).length >= 110, 'the next member to get 110', 15_000);
    await next.roundTrip();
    expect(numbers(next)).toEqual(range(40, 150));
    next.sendRaw(JSON.stringify({ ack: next.events.length }), false);
    await waitFor(
      async () => (await jetStream(b)).acknowledged === next.events.length,
      'hub B to ack all',
    );

    // Acknowledged means gone: a third member gets only what comes next.
    await next.close();
    const third = await connect(c);
    await third.subscribe(['R'], { group: 'billing', durable: true });
    sender.send('R', { n: 150 });
    await waitFor(() => numbers(third).length > 0, 'the third member to get one', 15_000);
    await third.roundTrip();
    expect(numbers(third)).toEqual([150]);
    for (const hub of hubs) expect((await jetStream(hub)).keptLocally).toBe(0);

    // JetStream removes the consumer once no hub pulled from it for as long as a group
    // without members is kept (HUB_DURABLE_GROUP_TTL_MS), plus the ack wait.
    const nc = await connectNats({ servers: nats.servers.split(',') });
    try {
      const jsm = await jetstreamManager(nc);
      const consumers = [];
      for await (const info of jsm.consumers.list('CES_GROUPS')) consumers.push(info.config);
      expect(consumers).toHaveLength(1);
      expect(consumers[0].inactive_threshold).toBe(nanos(3_600_000 + 60_000));
    } finally {
      await nc.close();
    }
  });
  /**
   * A publish confirm covering an event for a durable group waits for JetStream: an event the
   * stream did not take (here: over the stream publishes a hub keeps on their way, one) is
   * refused, never confirmed, and does not reach the group.
   */
  it('refuses (cluster-unavailable) what the stream did not take, and confirms the rest', async () => {
    const hub = await startClusterHub({
      HUB_NATS_SERVERS: nats.servers,
      HUB_NATS_REPLICAS: 3,
      HUB_ACK_TIMEOUT_MS: 60_000,
      HUB_NATS_BUFFER_EVENTS: 0, // one stream publish on its way at a time
    });
    await untilConnected([hub]);
    const member = await connect(hub);
    await member.subscribe(['Q'], { group: 'ledger', durable: true });
    const sender = await connect(hub);
    await untilGroupHears(sender, member, 'Q');

    const publisher = await connect(hub);
    publisher.sendRaw(JSON.stringify({ confirm: { publisher: 'p', next: 1 } }), false);
    const replies = () => publisher.texts.map((text) => JSON.parse(text) as Json);
    const total = 200;
    for (let n = 0; n < total; n++) publisher.send('Q', { n });
    await waitFor(
      () => replies().some((reply) => reply.confirmed === total),
      'every event to be settled',
      15_000,
    );
    const refusals = replies().filter((reply) => reply.refused);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.length).toBeLessThan(total);
    for (const { refused } of refusals) expect(refused.reason).toBe('cluster-unavailable');
    const refused = new Set(refusals.map(({ refused }) => (refused.seq - 1) as number));
    const expected = range(0, total).filter((n) => !refused.has(n));
    await waitFor(
      () => numbers(member).length >= expected.length,
      'the member to get every confirmed event',
      15_000,
    );
    await member.roundTrip();
    expect(numbers(member)).toEqual(expected);
    expect(await jetStream(hub)).toMatchObject({ refused: refused.size, keptLocally: 0 });
  });
});
