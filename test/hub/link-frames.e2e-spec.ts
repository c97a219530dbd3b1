import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeFrame } from '@ces/protocol';
import { e2eFixtures } from '../support/fixtures';
import { listLinks } from '../support/hub-harness';
import { getJson } from '../support/http';
import { waitFor } from '../support/wait-for';
import { scrape } from '../ops/support/prometheus-text';

const FRAME_LIMIT = 1024;
const LINK_FRAME_LIMIT = 8192;
/** An event frame of about `bytes` bytes. */
const eventOf = (bytes: number, n: number) => encodeFrame('R', { n, pad: 'x'.repeat(bytes) });

/**
 * Links carry frames a messenger may not send (an original Go hub has no frame limit):
 * over HUB_MAX_FRAME_BYTES they are dropped and counted, and the link stays up.
 */
describe('frames over the limit on a hub link', () => {
  const {
    hub: start,
    messenger,
    connect,
    track,
  } = e2eFixtures({
    HUB_MAX_FRAME_BYTES: FRAME_LIMIT,
    HUB_LINK_MAX_FRAME_BYTES: LINK_FRAME_LIMIT,
  });

  it('drops an oversize event from a Go hub that dialed us; the next one arrives on the same link', async () => {
    const hub = await start();
    const receiver = await messenger(hub, ['R']);
    const goHub = await connect(`${hub.url}/connect/hub`);
    const [before] = (await getJson(`${hub.httpUrl}/status`)).links;

    goHub.sendRaw(eventOf(2 * FRAME_LIMIT, 1));
    goHub.sendRaw(eventOf(10, 2));
    expect((await receiver.waitForEvents(1)).map((e) => (e.event as { n: number }).n)).toEqual([2]);
    await goHub.roundTrip();
    expect(goHub.closeCode).toBeUndefined();
    const links = (await getJson(`${hub.httpUrl}/status`)).links;
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      direction: 'in',
      since: before.since,
      eventsIn: 1,
      dropped: { tooLarge: 1, slowConsumer: 0 },
    });
    expect((await getJson(`${hub.httpUrl}/status`)).totals.dropped['link-frame-too-large']).toBe(1);
    const metrics = await scrape(hub.httpUrl);
    expect(metrics.value('ces_hub_link_events_dropped_total', { reason: 'too-large' })).toBe(1);
  });

  it('still closes a messenger with 1009 over HUB_MAX_FRAME_BYTES, and a link over HUB_LINK_MAX_FRAME_BYTES', async () => {
    const hub = await start();
    const sender = await messenger(hub);
    sender.sendRaw(eventOf(2 * FRAME_LIMIT, 1));
    expect(await sender.waitForClose()).toBe(1009);
    const goHub = await connect(`${hub.url}/connect/hub`);
    goHub.sendRaw(eventOf(2 * LINK_FRAME_LIMIT, 1));
    expect(await goHub.waitForClose()).toBe(1009);
  });

  it('drops an oversize event on a link this hub dialed, without redialing', async () => {
    const goHub = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    track({ close: () => new Promise((resolve) => goHub.close(resolve)) });
    await new Promise<void>((resolve) => goHub.once('listening', () => resolve()));
    const dialedUs: WebSocket[] = [];
    goHub.on('connection', (socket) => dialedUs.push(socket));

    const hub = await start();
    const receiver = await messenger(hub, ['R']);
    const port = (goHub.address() as AddressInfo).port;
    const response = await fetch(`${hub.httpUrl}/interconnect/127.0.0.1%3A${port}`, {
      method: 'POST',
    });
    expect(response.status).toBe(201);
    await waitFor(() => dialedUs.length === 1, 'the hub to dial');
    const [before] = await listLinks(hub);

    dialedUs[0].send(eventOf(2 * FRAME_LIMIT, 1), { binary: true });
    dialedUs[0].send(eventOf(10, 2), { binary: true });
    expect((await receiver.waitForEvents(1)).map((e) => (e.event as { n: number }).n)).toEqual([2]);
    const [after] = await listLinks(hub);
    expect(after).toMatchObject({ state: 'open', since: before.since, dropped: { tooLarge: 1 } });
    expect(dialedUs).toHaveLength(1);
  });

  it('counts per link the events a link over its send budget did not take', async () => {
    const hub = await start({ HUB_LINK_SEND_HIGH_WATER_BYTES: 1024, HUB_SLOW_CONSUMER_MS: 60_000 });
    const goHub = await connect(`${hub.url}/connect/hub`);
    // Stop reading: what the hub sends piles up in its queue for this link.
    (goHub.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const sender = await messenger(hub);
    const linkDrops = async () =>
      ((await getJson(`${hub.httpUrl}/status`)).links[0]?.dropped?.slowConsumer ?? 0) as number;
    const deadline = Date.now() + 10_000;
    while ((await linkDrops()) === 0 && Date.now() < deadline) {
      for (let i = 0; i < 200; i++) sender.sendRaw(eventOf(FRAME_LIMIT - 100, i));
      await sender.roundTrip();
    }
    expect(await linkDrops()).toBeGreaterThan(0);
    const metrics = await scrape(hub.httpUrl);
    expect(metrics.value('ces_hub_link_events_dropped_total', { reason: 'slow-consumer' })).toBe(
      await linkDrops(),
    );
    goHub.socket.terminate();
  });
});
