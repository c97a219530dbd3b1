import { createServer, Server, Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket, WebSocketServer } from 'ws';
import { HttpTarget } from '../../apps/repeater/src/egress/http-target';
import { getJson, Json } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { startRepeater, TestRepeater } from '../support/repeater-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

/** The garbage collector, on demand, without starting jest under --expose-gc. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const payload = (bytes: number) => ({ key: 'fill', value: 'x'.repeat(bytes) });

describe('repeater reliability', () => {
  let hub: TestHub;
  const repeaters: TestRepeater[] = [];
  const peers: WsPeer[] = [];
  const cleanups: (() => Promise<unknown> | void)[] = [];
  const repeater = async (settings = {}) => {
    const started = await startRepeater(hub.url, settings);
    repeaters.push(started);
    return started;
  };
  const peer = async (url: string, options = {}) => {
    const connected = await WsPeer.connect(url, options);
    peers.push(connected);
    return connected;
  };
  const status = async (rep: TestRepeater): Promise<Json> => getJson(`${rep.httpUrl}/status`);

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close().catch(() => undefined)));
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    await Promise.all(repeaters.splice(0).map((r) => r.close()));
    await hub.close();
  });

  it('limits outside sockets per address (429) and in total (503)', async () => {
    const rep = await repeater({ REPEATER_MAX_CONNECTIONS_PER_ADDRESS: 2 });
    await peer(`${rep.url}/connect/R/a`);
    await peer(`${rep.url}/connect/R/b`);
    await expect(WsPeer.connect(`${rep.url}/connect/R/c`)).rejects.toMatchObject({
      statusCode: 429,
    });
    const full = await repeater({ REPEATER_MAX_CONNECTIONS: 1 });
    await peer(`${full.url}/connect`);
    await expect(WsPeer.connect(`${full.url}/connect`)).rejects.toMatchObject({ statusCode: 503 });
    expect((await status(rep)).totals.rejected['upgrade-address-limit']).toBe(1);
  });

  it('drops an outside socket that does not answer pings, and keeps one that does', async () => {
    const rep = await repeater({ REPEATER_PING_INTERVAL_MS: 200, REPEATER_IDLE_TIMEOUT_MS: 60000 });
    const silent = await peer(`${rep.url}/connect/R/silent`, { autoPong: false });
    const answering = await peer(`${rep.url}/connect/R/answering`);
    expect(await silent.waitForClose(3000)).toBe(1006);
    expect(answering.closeCode).toBeUndefined();
    expect((await status(rep)).totals.disconnected.keepalive).toBe(1);
  });

  it('closes an outside socket that reads nothing with 4008, after dropping what is over its budget', async () => {
    const rep = await repeater({
      REPEATER_SEND_HIGH_WATER_BYTES: 64 * 1024,
      REPEATER_SLOW_CONSUMER_MS: 500,
      REPEATER_IDLE_TIMEOUT_MS: 60000,
    });
    const stalled = await peer(`${rep.url}/connect/R/stalled`);
    const reader = await peer(`${rep.url}/connect/R/reader`);
    stalled.socket.pause();
    const sender = await peer(`${hub.url}/connect/messenger`);
    const stop = Date.now() + 10000;
    while (Date.now() < stop && !(await status(rep)).totals.disconnected['slow-consumer']) {
      for (let i = 0; i < 50; i++) sender.send('R', payload(16 * 1024));
      await sender.roundTrip();
    }
    const totals = (await status(rep)).totals;
    expect(totals.disconnected['slow-consumer']).toBe(1);
    expect(totals.dropped['slow-consumer']).toBeGreaterThan(0);
    stalled.socket.resume();
    expect(await stalled.waitForClose(3000)).toBe(4008);
    expect(stalled.closeReason).toBe('slow consumer');
    expect(reader.closeCode).toBeUndefined();
    expect(reader.events.length).toBeGreaterThan(stalled.events.length);
  });

  it('bounds a ws target that reads nothing in bytes, and closes it with 4008', async () => {
    const target = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => target.once('listening', () => resolve()));
    const closes: number[] = [];
    target.on('connection', (socket: WebSocket) => {
      (socket as unknown as { _socket: Socket })._socket.pause();
      socket.on('close', (code) => closes.push(code));
    });
    cleanups.push(() => {
      for (const client of target.clients) client.terminate();
      return new Promise((resolve) => target.close(resolve));
    });
    const { port } = target.address() as { port: number };
    const rep = await repeater({
      REPEATER_SEND_MAP: JSON.stringify({ R: [`ws://127.0.0.1:${port}`] }),
      REPEATER_TARGET_QUEUE_BYTES: 128 * 1024,
      REPEATER_SEND_HIGH_WATER_BYTES: 64 * 1024,
      REPEATER_SLOW_CONSUMER_MS: 500,
      REPEATER_IDLE_TIMEOUT_MS: 60000,
    });
    const sender = await peer(`${hub.url}/connect/messenger`);
    const targetStats = async () => (await status(rep)).targets[0];
    let maxQueued = 0;
    const stop = Date.now() + 10000;
    while (Date.now() < stop && !(await targetStats()).slowConsumer) {
      for (let i = 0; i < 50; i++) sender.send('R', payload(16 * 1024));
      await sender.roundTrip();
      maxQueued = Math.max(maxQueued, (await targetStats()).queuedBytes);
    }
    const stats = await targetStats();
    expect(stats.slowConsumer).toBe(1);
    expect(stats.dropped).toBeGreaterThan(0);
    // At most the queue's bytes while it dials, plus the socket's high-water mark and the one
    // frame that crossed it.
    expect(maxQueued).toBeLessThan(128 * 1024 + 64 * 1024 + 20 * 1024);
  });

  it('times out every POST to an http target that never answers, even while the garbage collector runs', async () => {
    const gc = exposeGc();
    const held = new Set<Socket>();
    const server: Server = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const target = new HttpTarget(`http://127.0.0.1:${port}/never`, {
      timeoutMs: 300,
      retries: 0,
      backoffMs: 10,
      queue: { maxEvents: 10, maxBytes: 1 << 20 },
    });
    // Often enough to collect an unreferenced signal before it fires; each call is a full GC.
    const collector = setInterval(gc, 100);
    try {
      for (let n = 0; n < 3; n++) target.deliver('R', Buffer.from(`{"n":${n}}`));
      await waitFor(() => target.stats().failed === 3, 'three timed-out deliveries', 20000);
      expect(target.stats()).toMatchObject({ sent: 0, failed: 3, queued: 0 });
      expect(target.stats().lastError).toContain('no answer within 300 ms');
    } finally {
      clearInterval(collector);
      target.close();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
