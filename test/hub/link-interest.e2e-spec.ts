import { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { e2eFixtures } from '../support/fixtures';
import { getJson } from '../support/http';
import {
  linkEveryPair,
  linkHubs,
  linkStatus,
  TestHub,
  untilLinkWants,
} from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

type Numbered = { n: number };
const numbers = (peer: WsPeer) => peer.events.map((e) => (e.event as Numbered).n);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** Links that come back fast, so that a test can drop one and wait for it. */
const QUICK_REDIAL = { HUB_LINK_BACKOFF_INITIAL_MS: 50, HUB_LINK_BACKOFF_MAX_MS: 200 };

describe('interest across hub links', () => {
  const { hub: start, messenger, connect } = e2eFixtures(QUICK_REDIAL);

  /** Sends `count` numbered events into each room, from one messenger on `hub`. */
  const publish = async (hub: TestHub, rooms: string[], count: number, from = 0) => {
    const sender = await messenger(hub);
    for (const room of rooms) for (let n = from; n < from + count; n++) sender.send(room, { n });
    return sender;
  };

  it('sends a room’s events only to the hub with its subscribers', async () => {
    const [a, b, c] = [await start(), await start(), await start()];
    await linkEveryPair([a, b, c]);
    const onA = await messenger(a, ['A1', 'A2']);
    const onB = await messenger(b, ['B1', 'B2', 'B3']);
    await untilLinkWants(b, a, 2);
    await untilLinkWants(c, a, 2);
    await untilLinkWants(a, b, 3);
    await untilLinkWants(c, b, 3);
    const rooms = ['A1', 'A2', 'B1', 'B2', 'B3', 'nobody'];
    for (const hub of [a, b, c]) await publish(hub, rooms, 10);

    await onA.waitForEvents(2 * 3 * 10);
    await onB.waitForEvents(3 * 3 * 10);
    // The events of a room reach the hub of its subscribers and no other.
    expect((await linkStatus(a, c))?.eventsOut).toBe(0);
    expect((await linkStatus(b, c))?.eventsOut).toBe(0);
    expect((await linkStatus(a, b))?.eventsOut).toBe(3 * 10);
    expect((await linkStatus(c, b))?.eventsOut).toBe(3 * 10);
    expect((await linkStatus(c, a))?.eventsOut).toBe(2 * 10);
    expect((await linkStatus(a, c))?.interest).toEqual({
      known: true,
      everything: false,
      rooms: 0,
      eventsSkipped: rooms.length * 10,
    });
    // A skipped C's 60 and B's 30 (A1, A2, nobody): the total counter has both.
    const metrics = await (await fetch(`${a.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ces_hub_link_events_skipped_total 90$/m);
  });

  it('gives a subscriber that joins on another hub the next event after its interest arrived', async () => {
    const [a, b] = [await start(), await start()];
    await linkHubs(a, b);
    await untilLinkWants(a, b, 0);
    const sender = await publish(a, ['R'], 1);
    await sender.roundTrip();
    expect((await linkStatus(a, b))?.interest?.eventsSkipped).toBe(1);

    const late = await messenger(b, ['R']);
    await untilLinkWants(a, b, 1);
    for (let n = 1; n <= 5; n++) sender.send('R', { n });
    await late.waitForEvents(5);
    expect(numbers(late)).toEqual(range(1, 6));

    // The last subscriber gone, the room's events stay on A again.
    await late.unsubscribe(['R']);
    await untilLinkWants(a, b, 0);
    sender.send('R', { n: 6 });
    await sender.roundTrip();
    expect(await linkStatus(a, b)).toMatchObject({
      eventsOut: 5,
      interest: { rooms: 0, eventsSkipped: 2 },
    });
  });

  it('sends every event to a hub that never tells its interest, as the original Go hub', async () => {
    const [a, b] = [await start(), await start()];
    await linkHubs(a, b);
    await untilLinkWants(a, b, 0);
    // The original Go hub dials in without an id and never sends a text frame.
    const goHub = await connect(`${a.url}/connect/hub`);
    await waitFor(
      async () => (await getJson(`${a.httpUrl}/status`)).peers.hubs.length === 2,
      'the Go hub’s link',
    );
    await publish(a, ['R', 'S'], 5);
    await goHub.waitForEvents(10);
    expect(goHub.events.map((e) => e.room)).toEqual([...Array(5).fill('R'), ...Array(5).fill('S')]);
    expect(goHub.texts).toEqual([]);
    expect((await linkStatus(a, b))?.eventsOut).toBe(0);

    // What the Go hub sends still reaches our hubs' subscribers, and goes no further.
    const onA = await messenger(a, ['G']);
    goHub.send('G', { n: 0 });
    await onA.waitForEvents(1);
    expect((await linkStatus(a, b))?.eventsOut).toBe(0);
  });

  it('sends every event to an original Go hub it dials, beside one of ours that wants none', async () => {
    const [a, b] = [await start(), await start()];
    await linkHubs(a, b);
    // The original Go hub as a server: it answers the upgrade without an id.
    const goHub = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => goHub.once('listening', () => resolve()));
    const received: { binary: boolean; data: string }[] = [];
    goHub.on('connection', (socket) =>
      socket.on('message', (data: Buffer, binary: boolean) =>
        received.push({ binary, data: data.toString() }),
      ),
    );
    try {
      const port = (goHub.address() as AddressInfo).port;
      const response = await fetch(`${a.httpUrl}/interconnect/127.0.0.1:${port}`, {
        method: 'POST',
      });
      expect(await response.json()).toMatchObject({ state: 'open' });
      await untilLinkWants(a, b, 0);
      await publish(a, ['R'], 3);
      await waitFor(() => received.length === 3, 'the Go hub to get 3 events');
      expect(received.every((frame) => frame.binary)).toBe(true);
      expect((await linkStatus(a, b))?.eventsOut).toBe(0);
    } finally {
      await fetch(`${a.httpUrl}/interconnect/127.0.0.1:${(goHub.address() as AddressInfo).port}`, {
        method: 'DELETE',
      });
      for (const socket of goHub.clients) socket.terminate();
      await new Promise((resolve) => goHub.close(resolve));
    }
  });

  it('sends everything to a hub with a subscriber to *', async () => {
    const [a, b] = [await start(), await start()];
    await linkHubs(a, b);
    const everything = await messenger(b, ['*']);
    await untilLinkWants(a, b, 1);
    expect((await linkStatus(a, b))?.interest?.everything).toBe(true);
    await publish(a, ['X', 'Y', 'Z'], 3);
    await everything.waitForEvents(9);
    expect((await linkStatus(a, b))?.interest?.eventsSkipped).toBe(0);
  });

  it('with HUB_LINK_INTEREST=false, sends every event over every link', async () => {
    const a = await start({ HUB_LINK_INTEREST: false });
    const b = await start();
    await linkHubs(a, b);
    const onA = await messenger(a, ['R']);
    await publish(a, ['R', 'S'], 4);
    await onA.waitForEvents(4);
    await waitFor(async () => (await linkStatus(a, b))?.eventsOut === 8, 'all 8 events to B');
    // A tells B nothing either, so B sends A everything.
    await publish(b, ['T'], 2);
    await waitFor(async () => (await linkStatus(b, a))?.eventsOut === 2, 'both events to A');
    expect((await linkStatus(b, a))?.interest?.known).toBe(false);
  });
});
