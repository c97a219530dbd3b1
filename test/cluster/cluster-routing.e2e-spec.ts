import { e2eFixtures } from '../support/fixtures';
import { getJson, Json, postJson } from '../support/http';
import { TestHub } from '../support/hub-harness';
import { clusterStatus, hubsOnCluster, natsClusterPerSpec } from '../support/cluster-interest';
import { eventsAmong, numbersAmong } from '../support/peer-events';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

/**
 * The routing table of docs/protocol.md §5 across three hubs in cluster mode, each on its
 * own server of a three-server NATS cluster.
 */
describe('cluster mode: routing across three hubs on a NATS cluster', () => {
  const cluster = natsClusterPerSpec();
  let hubs: TestHub[];
  const { hub: startHub, connect: dial, messenger: messengerOn } = e2eFixtures();
  const repeaterOn = (hub: TestHub) => dial(`${hub.url}/connect/repeater`);
  const status = (hub: TestHub): Promise<Json> => getJson(`${hub.httpUrl}/status`);

  const settle = () => cluster.probe.settle(hubs);

  type Opener = (hub: TestHub) => Promise<WsPeer>;
  const subscribedTo =
    (rooms: string[]): Opener =>
    (hub) =>
      messengerOn(hub, rooms);
  /** Opens a peer on each hub in turn, the first on hub A, and settles the cluster. */
  const onHubsInTurn = async (...openers: Opener[]): Promise<WsPeer[]> => {
    const opened: WsPeer[] = [];
    for (const [i, open] of openers.entries()) opened.push(await open(hubs[i]));
    await settle();
    return opened;
  };

  beforeEach(async () => {
    hubs = await hubsOnCluster(cluster.nats, startHub);
    await cluster.probe.takeBaseline();
  });

  // After the fixtures' own afterEach has closed the test's peers and hubs.
  afterEach(async () => {
    await cluster.probe.untilSpread(0);
  });

  it('gives a messenger event to the room and * everywhere, once each, never the sender', async () => {
    const [a, b, c] = hubs;
    const sender = await messengerOn(a, ['R']);
    const sameHub = await messengerOn(a, ['R']);
    const roomOnB = await messengerOn(b, ['R']);
    const allOnB = await messengerOn(b, ['*']);
    const bothOnC = await messengerOn(c, ['R', '*']);
    const otherOnC = await messengerOn(c, ['Q']);
    await settle();

    for (let n = 0; n < 20; n++) sender.send('R', { n });
    sender.send('Q', { last: true });

    const twenty = Array.from({ length: 20 }, (_, n) => ({ room: 'R', event: { n } }));
    const last = { room: 'Q', event: { last: true } };
    expect(await sameHub.waitForEvents(20)).toEqual(twenty);
    expect(await roomOnB.waitForEvents(20)).toEqual(twenty);
    expect(await allOnB.waitForEvents(21)).toEqual([...twenty, last]);
    expect(await bothOnC.waitForEvents(21)).toEqual([...twenty, last]);
    expect(await otherOnC.waitForEvents(1)).toEqual([last]);
    // The last event came after all others on every path: nothing more is on its way.
    await Promise.all([sender, sameHub, roomOnB, allOnB, bothOnC].map((peer) => peer.roundTrip()));
    expect(sender.events).toEqual([]);
    expect(sameHub.events).toHaveLength(20);
    expect(roomOnB.events).toHaveLength(20);
    expect(bothOnC.events).toHaveLength(21);
  });

  it('gives each messenger event to exactly one repeater of the cluster, and a repeater event to none', async () => {
    const [a, b, c] = hubs;
    const sender = await messengerOn(a);
    const repeaters = [await repeaterOn(b), await repeaterOn(c)];
    const watcher = await messengerOn(a, ['T']);
    await settle();

    for (let n = 0; n < 40; n++) sender.send('R', { n });
    await waitFor(() => eventsAmong(repeaters) >= 40, 'the repeaters to get 40 events');
    repeaters[0].send('T', { fromRepeater: true });
    await watcher.waitForEvents(1);
    sender.send('R', { n: 40 });
    await waitFor(() => eventsAmong(repeaters) >= 41, 'the last event');
    expect(await numbersAmong(repeaters)).toEqual(Array.from({ length: 41 }, (_, n) => n));
    // NATS spreads a queue group's events: both hubs' repeaters had a share.
    expect(repeaters.every((repeater) => repeater.events.length > 0)).toBe(true);
    expect(watcher.events).toEqual([{ room: 'T', event: { fromRepeater: true } }]);
  });

  it('gives a repeater event to the room and *, never a repeater; a POST /event as a messenger event', async () => {
    const [repeater, inRoom, all] = await onHubsInTurn(
      repeaterOn,
      subscribedTo(['R']),
      subscribedTo(['*']),
    );
    const c = hubs[2];

    repeater.send('R', { from: 'repeater' });
    const posted = { key: 'posted', 'affected-room': { roomID: 'R' } };
    expect((await postJson(`${c.httpUrl}/event`, posted)).status).toBe(202);
    expect((await inRoom.waitForEvents(2)).map((e) => e.room)).toEqual(['R', 'R']);
    expect((await all.waitForEvents(2)).map((e) => e.room)).toEqual(['R', 'R']);
    // The cluster's only repeater gets the posted event, not its own.
    expect((await repeater.waitForEvents(1)).map((e) => (e.event as Json).key)).toEqual(['posted']);
    await repeater.roundTrip();
    expect(repeater.events).toHaveLength(1);
  });

  it('gives an event of the room * to the subscribers of * only', async () => {
    const [sender, all, inRoom] = await onHubsInTurn(
      messengerOn,
      subscribedTo(['*']),
      subscribedTo(['R']),
    );

    sender.send('*', { everyone: true });
    sender.send('R', { barrier: true });
    expect((await all.waitForEvents(2)).map((e) => e.room)).toEqual(['*', 'R']);
    expect(await inRoom.waitForEvents(1)).toEqual([{ room: 'R', event: { barrier: true } }]);
  });

  it('gives each event of a consumer group to one member in the whole cluster', async () => {
    const members = await Promise.all(hubs.map((hub) => messengerOn(hub)));
    for (const member of members) await member.subscribe(['R'], { group: 'billing' });
    const sender = await messengerOn(hubs[0]);
    await settle();

    for (let n = 0; n < 60; n++) sender.send('R', { n });
    await waitFor(() => eventsAmong(members) >= 60, 'the group to get 60 events');
    expect(await numbersAmong(members)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    expect(members.filter((member) => member.events.length > 0).length).toBeGreaterThan(1);
  });

  it('sends a hub none of the events of a room it has no subscriber for', async () => {
    const [, b, c] = hubs;
    const [sender, onB, onC] = await onHubsInTurn(
      messengerOn,
      subscribedTo(['wanted', 'barrier']),
      subscribedTo(['barrier']),
    );
    const before = (await status(c)).cluster.received.rooms;

    for (let n = 0; n < 50; n++) sender.send('wanted', { n });
    sender.send('barrier', {});
    await onB.waitForEvents(51);
    await onC.waitForEvents(1);
    const after = await status(c);
    // The barrier is the only event C's NATS subscriptions brought.
    expect(after.cluster.received.rooms - before).toBe(1);
    expect(after.cluster.subscriptions).toEqual({ rooms: 1, groups: 0, everything: false });
    expect((await status(b)).cluster.subscriptions.rooms).toBe(2);
  });

  it('never gives a group member its own event; the events NATS gives its hub are counted there', async () => {
    const [a, b] = hubs;
    const sender = await messengerOn(a);
    const other = await messengerOn(b);
    await sender.subscribe(['R'], { group: 'billing' });
    await other.subscribe(['R'], { group: 'billing' });
    await settle();

    for (let n = 0; n < 30; n++) sender.send('R', { n });
    // NATS's queue group picks hub A or hub B for each event. On B the other member gets it;
    // on A the sender is the only member, and the event is counted as missed by the group.
    const missed = async () =>
      ((await getJson(`${a.httpUrl}/status`)).totals.dropped['group-sender-only'] ?? 0) as number;
    await waitFor(
      async () => other.events.length + (await missed()) === 30,
      'every event at B or counted at A',
    );
    await sender.roundTrip();
    expect(sender.events).toEqual([]);
    expect(other.events.length).toBeGreaterThan(0);
  });

  it('holds every room on NATS only while a subscriber of * is connected', async () => {
    const [a] = hubs;
    const all = await messengerOn(a, ['*']);
    const inRoom = await messengerOn(a, ['R']);
    await settle();
    expect((await clusterStatus(a)).subscriptions).toEqual({
      rooms: 2,
      groups: 0,
      everything: true,
    });
    await all.close();
    await waitFor(
      async () => (await clusterStatus(a)).subscriptions.everything === false,
      'the * subscription to go',
    );
    expect((await clusterStatus(a)).subscriptions.rooms).toBe(1);
    await inRoom.unsubscribe(['R']);
    await waitFor(
      async () => (await clusterStatus(a)).subscriptions.rooms === 0,
      'the last room to go',
    );
  });

  it('puts the events of an original Go hub linked to one hub on the cluster once', async () => {
    const [a, b] = hubs;
    // An original Go hub dials without a hub id.
    const goHub = await dial(`${a.url}/connect/hub`);
    const onB = await messengerOn(b, ['R']);
    const repeaterOnB = await repeaterOn(b);
    await settle();

    goHub.send('R', { fromGo: 1 });
    goHub.send('R', { fromGo: 2 });
    expect((await onB.waitForEvents(2)).map((e) => e.event)).toEqual([
      { fromGo: 1 },
      { fromGo: 2 },
    ]);
    await Promise.all([onB.roundTrip(), goHub.roundTrip(), repeaterOnB.roundTrip()]);
    expect(onB.events).toHaveLength(2);
    // An event from a hub reaches messengers only (§5), and never goes back to its hub.
    expect(repeaterOnB.events).toEqual([]);
    expect(goHub.events).toEqual([]);
  });
});
