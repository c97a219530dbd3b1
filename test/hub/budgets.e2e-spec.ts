import type { Socket } from 'node:net';
import { CloseCodes } from '@ces/protocol';
import { getJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const BUDGET = 256 * 1024;

type PeerStatus = { id: string; rooms: string[]; bytesQueued: number; dropped: number };

/** Every frame a peer is sent counts against one byte budget, and a peer that does not read is cut off. */
describe('send budgets', () => {
  let hub: TestHub;
  const peers: WsPeer[] = [];
  const connect = async (options = {}) => {
    const peer = await WsPeer.connect(`${hub.url}/connect/messenger`, options);
    peers.push(peer);
    return peer;
  };
  const status = () => getJson(`${hub.httpUrl}/status`);
  const messengers = async (): Promise<PeerStatus[]> => (await status()).peers.messengers;
  /** Reads a stopped socket again, one chunk every 20 ms. */
  const readSlowly = (peer: WsPeer) => {
    const socket = (peer.socket as unknown as { _socket: Socket })._socket;
    socket.on('data', () => {
      socket.pause();
      setTimeout(() => socket.resume(), 20);
    });
    socket.resume();
  };
  /** A client that stops reading its socket: the hub's writes pile up in front of it. */
  const stopReading = (peer: WsPeer) =>
    (peer.socket as unknown as { _socket: { pause(): void } })._socket.pause();

  beforeEach(async () => {
    hub = await startHub({ HUB_SEND_HIGH_WATER_BYTES: BUDGET, HUB_SLOW_CONSUMER_MS: 1000 });
  });

  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.socket.terminate();
    await hub.close();
  });

  it('answers a refused subscription with a short error that never repeats the input', async () => {
    const peer = await connect();
    const rooms = Array.from({ length: 20_000 }, (_, i) => `bad\u0001room-${i}`);
    peer.sendRaw(JSON.stringify({ rooms, create: true }), false);
    await waitFor(() => peer.texts.length === 1, 'the error reply');
    expect(peer.texts[0].length).toBeLessThan(2048);
    const reply = JSON.parse(peer.texts[0]);
    expect(reply.details).toHaveLength(11);
    expect(reply.details[10].errors[0]).toBe('19990 more errors');
  });

  it('holds no more than the budget for a peer that floods pings and never reads', async () => {
    const peer = await connect();
    stopReading(peer);
    const payload = Buffer.alloc(125, 1);
    const until = Date.now() + 3000;
    // About 40 MB of pongs would be owed; the hub keeps at most the budget of them.
    for (let i = 0; i < 300_000 && Date.now() < until; i++) peer.socket.ping(payload);
    let worst = 0;
    await waitFor(
      async () => {
        const mine = (await messengers())[0];
        if (!mine) return true;
        worst = Math.max(worst, mine.bytesQueued);
        return false;
      },
      'the hub to cut the peer off',
      15_000,
    );
    expect(worst).toBeLessThanOrEqual(BUDGET + 131);
    const totals = (await status()).totals;
    expect(totals.rejected['slow-consumer-closed']).toBe(1);
    expect((await fetch(`${hub.httpUrl}/health`)).status).toBe(200);
  });

  it('cuts off a subscriber that never reads though it keeps sending, and the others lose nothing', async () => {
    const stalled = await connect();
    await stalled.subscribe(['R']);
    const healthy = await connect();
    await healthy.subscribe(['R']);
    const publisher = await connect();
    stopReading(stalled);
    const keepTalking = setInterval(() => stalled.send('OTHER', { alive: true }), 50);
    const event = { pad: 'x'.repeat(4000) };
    try {
      // In batches the healthy reader takes in full before the next: a reader that keeps up
      // never nears its budget, while the stalled one falls further behind with every batch.
      for (let batch = 0; batch < 40; batch++) {
        for (let n = batch * 50; n < (batch + 1) * 50; n++) publisher.send('R', { n, ...event });
        await healthy.waitForEvents((batch + 1) * 50, 15_000);
      }
      await waitFor(
        async () => (await status()).totals.rejected['slow-consumer-closed'] === 1,
        'the stalled subscriber to be closed',
        15_000,
      );
    } finally {
      clearInterval(keepTalking);
    }
    expect(healthy.events.map((e) => (e.event as { n: number }).n)).toEqual(
      Array.from({ length: 2000 }, (_, n) => n),
    );
    await waitFor(async () => (await messengers()).length === 2, 'the stalled socket to be gone');
    expect((await fetch(`${hub.httpUrl}/health`)).status).toBe(200);
  });

  it('keeps events in order when the frames to a peer are compressed', async () => {
    await hub.close();
    // Frames waiting for compression count against the budget too: give them room here.
    hub = await startHub({ HUB_PERMESSAGE_DEFLATE: true, HUB_SEND_HIGH_WATER_BYTES: 16 << 20 });
    const receiver = await connect({ perMessageDeflate: true });
    await receiver.subscribe(['R']);
    // An uncompressed publisher: the hub reads its frames in bursts, so a small event
    // follows a big one (still being compressed) within one turn of the event loop.
    const publisher = await connect();
    const big = 'y'.repeat(8192);
    for (let n = 0; n < 300; n++) publisher.send('R', n % 2 === 0 ? { n, big } : { n });
    const events = await receiver.waitForEvents(300);
    expect(events.map((e) => (e.event as { n: number }).n)).toEqual(
      Array.from({ length: 300 }, (_, n) => n),
    );
    expect(receiver.socket.extensions).toContain('permessage-deflate');
  });

  it('lets a slow reader take what was queued for it before the 1001 of a shutdown', async () => {
    await hub.close();
    hub = await startHub({ HUB_SEND_HIGH_WATER_BYTES: 32 << 20, HUB_SHUTDOWN_GRACE_MS: 15_000 });
    const slow = await connect();
    await slow.subscribe(['R']);
    const publisher = await connect();
    stopReading(slow);
    // 8 MB: more than the loopback buffers hold, so the hub itself has bytes queued for it.
    for (let n = 0; n < 2000; n++) publisher.send('R', { n, pad: 'z'.repeat(4000) });
    await publisher.roundTrip();
    const queued = (await messengers()).find((m) => m.rooms.includes('R'))!.bytesQueued;
    expect(queued).toBeGreaterThan(0);

    const closing = hub.close();
    // Once the hub refuses newcomers it is draining: the reader starts to read, slowly — a
    // chunk every 20 ms, some seconds for all of it, longer than a fixed short grace.
    await waitFor(async () => {
      const probe = await connect();
      return (await probe.waitForClose()) === CloseCodes.goingAway;
    }, 'the hub to start its shutdown');
    readSlowly(slow);
    await closing;
    expect(await slow.waitForClose(20_000)).toBe(CloseCodes.goingAway);
    expect(slow.events).toHaveLength(2000);
    hub = await startHub();
  }, 40_000);
});
