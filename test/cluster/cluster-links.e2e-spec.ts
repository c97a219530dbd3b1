import { AddressInfo } from 'node:net';
import { decodeFrame, encodeFrame } from '@ces/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import { clusterStatus, hubsOnCluster, natsClusterPerSpec } from '../support/cluster-interest';
import { e2eFixtures } from '../support/fixtures';
import { postJson } from '../support/http';
import { linkHubs, linkStatus, TestHub, untilLinkWants } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

type Received = { room: string; event: { n?: number; warmUp?: boolean; [key: string]: unknown } };
/** The events of `room` received, warm-up events left out. */
const inRoom = (events: Received[], room: string) =>
  events.filter((e) => e.room === room && !e.event.warmUp);
const numbers = (events: Received[]) => events.map((e) => e.event.n);
const eventsOf = (peer: WsPeer) => peer.events as Received[];
const range = (count: number) => [...Array(count).keys()];

/**
 * The original Go hub as a server that a hub dials (`POST /interconnect`): it answers the
 * upgrade without an id and never sends a text frame.
 */
async function goHubServer() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const received: Received[] = [];
  let socket: WebSocket | undefined;
  server.on('connection', (each) => {
    socket = each;
    each.on('message', (data: Buffer) => {
      const { room, event } = decodeFrame(data);
      received.push({ room, event: JSON.parse(event.toString()) });
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    received,
    send: (room: string, event: unknown) => socket!.send(encodeFrame(room, event)),
    /** Resolves once the hub has answered a ping: it has read everything sent before. */
    roundTrip: () =>
      new Promise<void>((resolve) => (socket!.once('pong', () => resolve()), socket!.ping())),
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Cluster mode with hubs outside the cluster linked to one of its hubs by `/interconnect`:
 * what enters the cluster elsewhere from a messenger or a repeater reaches them through that
 * hub, once, as the routing table says (never back to where it came from, never from one
 * linked hub to another); the hub holds on NATS only what its links want.
 */
describe('cluster mode: hubs outside the cluster linked to one of its hubs', () => {
  const cluster = natsClusterPerSpec();
  let hubs: TestHub[];
  const { hub: startHub, connect: dial, messenger, track } = e2eFixtures();
  const repeaterOn = (hub: TestHub) => dial(`${hub.url}/connect/repeater`);
  const subscriptionsOf = async (hub: TestHub) => (await clusterStatus(hub)).subscriptions;

  /**
   * Sends warm-up events into `room` from `sender` until `heard()`: the cluster carries the room
   * to the listener by then (an event published before its hub's subscription reached the
   * publisher's NATS server reaches no one, as in the mesh).
   */
  const untilCarried = async (sender: WsPeer, room: string, heard: () => boolean) => {
    const timer = setInterval(() => sender.send(room, { warmUp: true }), 100);
    try {
      sender.send(room, { warmUp: true });
      await waitFor(heard, `the cluster to carry ${room}`, 15_000);
    } finally {
      clearInterval(timer);
    }
  };

  beforeEach(async () => {
    hubs = await hubsOnCluster(cluster.nats, startHub);
  });

  it('gives an original Go hub linked to hub A the events of messengers on other hubs once, never its own', async () => {
    const [a, b, c] = hubs;
    await cluster.probe.takeBaseline();
    // An original Go hub dials without a hub id: it wants every event.
    const goHub = await dial(`${a.url}/connect/hub`);
    await waitFor(async () => (await subscriptionsOf(a)).everything, 'A to hold every room');
    const onB = await messenger(b);
    const onA = await messenger(a);
    const heardOnB = await messenger(b, ['G']);
    await untilCarried(onB, 'R', () => goHub.events.length > 0);
    await untilCarried(goHub, 'G', () => heardOnB.events.length > 0);

    for (let n = 0; n < 20; n++) onB.send('R', { n });
    for (let n = 0; n < 5; n++) onA.send('S', { n });
    goHub.send('G', { fromGo: true });
    onB.send('R', { n: 20 });
    const fromGo = () => inRoom(eventsOf(heardOnB), 'G');
    await waitFor(() => inRoom(eventsOf(goHub), 'R').length >= 21, 'the Go hub to get 21 events');
    await waitFor(() => inRoom(eventsOf(goHub), 'S').length >= 5, 'the Go hub to get A’s 5');
    await waitFor(() => fromGo().length >= 1, 'B to get the Go hub’s event');
    await Promise.all([goHub, onA, onB, heardOnB].map((peer) => peer.roundTrip()));

    expect(numbers(inRoom(eventsOf(goHub), 'R'))).toEqual(range(21));
    // A's own messenger's events reach it once: straight from A, not again through NATS.
    expect(numbers(inRoom(eventsOf(goHub), 'S'))).toEqual(range(5));
    // Its own events (the warm-ups too) went to the cluster and never came back.
    expect(goHub.events.filter((e) => e.room === 'G')).toEqual([]);
    expect(fromGo()).toEqual([{ room: 'G', event: { fromGo: true } }]);
    // Hub C, with no subscriber and no link, holds nothing for these rooms.
    expect(await subscriptionsOf(c)).toEqual({ rooms: 0, groups: 0, everything: false });

    // The Go hub gone (and B's subscriber), no NATS server holds a subscription of the hubs'.
    await goHub.close();
    await heardOnB.close();
    await cluster.probe.untilSpread(0);
    expect(await subscriptionsOf(a)).toEqual({ rooms: 0, groups: 0, everything: false });
  });

  it('gives a Go hub that hub A dials repeater and POST /event events once; another linked Go hub’s events never', async () => {
    const [a, b, c] = hubs;
    const dialed = track(await goHubServer());
    const response = await fetch(`${a.httpUrl}/interconnect/${dialed.address}`, {
      method: 'POST',
    });
    expect(await response.json()).toMatchObject({ state: 'open' });
    // A second original Go hub, linked to hub C.
    const otherGoHub = await dial(`${c.url}/connect/hub`);
    const repeater = await repeaterOn(b);
    await untilCarried(repeater, 'R', () => dialed.received.length > 0);
    // What the other Go hub sends reaches the cluster's messengers (one on A tells when)...
    const onA = await messenger(a, ['FROM-GO']);
    await untilCarried(otherGoHub, 'FROM-GO', () => onA.events.length > 0);

    for (let n = 0; n < 10; n++) repeater.send('R', { n });
    otherGoHub.send('FROM-GO', { n: 0 });
    const posted = { key: 'posted', 'affected-room': { roomID: 'R' } };
    expect((await postJson(`${c.httpUrl}/event`, posted)).status).toBe(202);
    await waitFor(() => inRoom(dialed.received, 'R').length >= 11, 'the Go hub to get 11 events');
    await waitFor(() => inRoom(eventsOf(onA), 'FROM-GO').length >= 1, 'A to get it');
    await Promise.all([dialed.roundTrip(), repeater.roundTrip(), onA.roundTrip()]);

    // Two publishers (the repeater on B, the REST API on C): no order between them.
    const events = inRoom(dialed.received, 'R');
    expect(numbers(events.filter((e) => e.event.n !== undefined))).toEqual(range(10));
    expect(events.filter((e) => e.event.n === undefined).map((e) => e.event.key)).toEqual([
      'posted',
    ]);
    // ...but not the Go hub linked to A (the warm-ups neither): one hop, as in the mesh.
    expect(dialed.received.filter((e) => e.room === 'FROM-GO')).toEqual([]);

    // The link gone, hub A lets go of every room (its messenger keeps its own).
    await fetch(`${a.httpUrl}/interconnect/${dialed.address}`, { method: 'DELETE' });
    await waitFor(async () => !(await subscriptionsOf(a)).everything, 'A to let go of every room');
    expect(await subscriptionsOf(a)).toEqual({ rooms: 1, groups: 0, everything: false });
  });

  it('gives one of our hubs outside the cluster, linked to hub A, the rooms it announced only', async () => {
    const [a, b] = hubs;
    const outside = await startHub();
    const wantsX = await messenger(outside, ['X']);
    expect((await linkHubs(outside, a)).status).toBe(201);
    await untilLinkWants(a, outside, 1);
    // A holds X for the link, and nothing else.
    await waitFor(
      async () => !(await subscriptionsOf(a)).everything,
      'A to hold what the link announced only',
    );
    expect(await subscriptionsOf(a)).toEqual({ rooms: 1, groups: 0, everything: false });
    const sender = await messenger(b);
    await untilCarried(sender, 'X', () => wantsX.events.length > 0);

    for (let n = 0; n < 10; n++) {
      sender.send('Y', { n });
      sender.send('X', { n });
    }
    // One publisher, in order: the last X comes after every Y and warm-up on every path.
    await waitFor(() => inRoom(eventsOf(wantsX), 'X').length >= 10, 'the 10 X events');
    await wantsX.roundTrip();
    expect(numbers(inRoom(eventsOf(wantsX), 'X'))).toEqual(range(10));
    expect(wantsX.events.every((e) => e.room === 'X')).toBe(true);
    // What crossed the link, and what A got from NATS at all, is X's events, warm-ups included.
    expect((await linkStatus(a, outside))!.eventsOut).toBe(wantsX.events.length);
    expect((await clusterStatus(a)).received.rooms).toBe(wantsX.events.length);

    // Its last subscriber of X gone, the outside hub says so, and A lets go of X.
    await wantsX.unsubscribe(['X']);
    await untilLinkWants(a, outside, 0);
    await waitFor(async () => (await subscriptionsOf(a)).rooms === 0, 'A to let go of X');
  });
});
