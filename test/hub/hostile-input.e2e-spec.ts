import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, Socket } from 'node:net';
import { getJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

/** A websocket handshake by hand, then raw frames: what no well-behaved client library would send. */
async function rawSocket(port: number): Promise<Socket> {
  const socket = tcpConnect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    'GET /connect/messenger HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  socket.on('error', () => undefined);
  return socket;
}

/** A masked client frame with the given opcode (1 text, 2 binary). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, 0x80 | length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), bigLength(length)]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([header, mask, masked]);
}

function bigLength(length: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(length));
  return buffer;
}

describe('hostile input', () => {
  let hub: TestHub;
  let receiver: WsPeer;
  let publisher: WsPeer;
  let sequence = 0;

  /** The well-behaved pair still works: an event goes from publisher to receiver. */
  async function stillRouting(): Promise<void> {
    const n = ++sequence;
    publisher.send('R', { n });
    await waitFor(
      () => receiver.events.some((e) => (e.event as { n: number }).n === n),
      `event ${n}`,
    );
    const health = await fetch(`${hub.httpUrl}/health`);
    expect(health.status).toBe(200);
  }

  beforeAll(async () => {
    hub = await startHub({ HUB_MAX_FRAME_BYTES: 1024 * 1024, HUB_MAX_ROOMS_PER_PEER: 100 });
    receiver = await WsPeer.connect(`${hub.url}/connect/messenger`);
    publisher = await WsPeer.connect(`${hub.url}/connect/messenger`);
    await receiver.subscribe(['R']);
  });

  afterAll(async () => {
    await receiver.close();
    await publisher.close();
    await hub.close();
  });

  it('survives random bytes on a raw socket', async () => {
    const socket = await rawSocket(hub.port);
    for (let i = 0; i < 50; i++) socket.write(randomBytes(64 + i * 13));
    await new Promise<void>((resolve) => socket.once('close', () => resolve()).end());
    await stillRouting();
  });

  it('closes a socket sending invalid UTF-8 text frames with 1007', async () => {
    const socket = await rawSocket(hub.port);
    const closed = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.write(clientFrame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    const closeFrame = await closed;
    expect(closeFrame.readUInt16BE(2)).toBe(1007);
    socket.destroy();
    await stillRouting();
  });

  it('counts frames without a newline and keeps serving the socket', async () => {
    const bad = await WsPeer.connect(`${hub.url}/connect/messenger`);
    for (let i = 0; i < 1000; i++)
      bad.sendRaw(Buffer.from(randomBytes(32).map((b) => (b === 10 ? 11 : b))));
    bad.send('R', { n: 'after-garbage' });
    await waitFor(
      () => receiver.events.some((e) => (e.event as { n: string }).n === 'after-garbage'),
      'the good frame',
    );
    expect(
      (await getJson(`${hub.httpUrl}/status`)).totals.rejected['no-newline'],
    ).toBeGreaterThanOrEqual(1000);
    await bad.close();
    await stillRouting();
  });

  it('closes a socket sending a 10 MiB frame with 1009 before buffering it all', async () => {
    const big = await WsPeer.connect(`${hub.url}/connect/messenger`);
    big.sendRaw(
      Buffer.concat([Buffer.from('R\n"'), Buffer.alloc(10 * 1024 * 1024, 0x61), Buffer.from('"')]),
    );
    expect(await big.waitForClose()).toBe(1009);
    await stillRouting();
  });

  it('takes 100,000 subscribe messages without growing past the rooms limit', async () => {
    const spammer = await WsPeer.connect(`${hub.url}/connect/messenger`);
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i++)
      spammer.sendRaw(JSON.stringify({ rooms: [`room-${i}`], create: true }), false);
    await spammer.roundTrip();
    const status = await getJson(`${hub.httpUrl}/status`);
    const spammerStatus = status.peers.messengers.find((m: { rooms: string[] }) =>
      m.rooms.includes('room-0'),
    );
    expect(spammerStatus.rooms).toHaveLength(100);
    expect(status.totals.rejected['too-many-rooms']).toBe(100_000 - 100);
    global.gc?.();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    await spammer.close();
    await stillRouting();
  });

  it('rejects subscription JSON with wrong types and keeps the subscriptions', async () => {
    const messenger = await WsPeer.connect(`${hub.url}/connect/messenger`);
    await messenger.subscribe(['R']);
    const bad = [
      '{"rooms":[1,2],"create":true}',
      '{"rooms":{"a":1},"create":false}',
      '{"rooms":null,"create":"false"}',
      '{"create":false,"rooms":["\\u0000"]}',
      '{"rooms":["R"],"create":true,"group":42}',
      '{}',
      '{"rooms":["' + 'x'.repeat(5000) + '"],"create":true}',
    ];
    for (const text of bad) messenger.sendRaw(text, false);
    await waitFor(() => messenger.texts.length === bad.length, 'an error frame for each');
    publisher.send('R', { n: 'still-subscribed' });
    await waitFor(
      () => messenger.events.some((e) => (e.event as { n: string }).n === 'still-subscribed'),
      'the event',
    );
    await messenger.close();
    await stillRouting();
  });
});

describe('a slow consumer', () => {
  it('does not slow the others, has its drops counted, and does not grow the hub’s memory', async () => {
    const hub = await startHub({ HUB_SEND_HIGH_WATER_BYTES: 64 * 1024 });
    const fast = await WsPeer.connect(`${hub.url}/connect/messenger`);
    const stalled = await WsPeer.connect(`${hub.url}/connect/messenger`);
    const publisher = await WsPeer.connect(`${hub.url}/connect/messenger`);
    await fast.subscribe(['R']);
    await stalled.subscribe(['R']);
    // Stop reading: the hub's writes to this socket pile up in its send buffer.
    (stalled.socket as unknown as { _socket: Socket })._socket.pause();

    const payload = 'x'.repeat(4096);
    const total = 5000;
    for (let i = 0; i < total; i++) {
      publisher.send('R', { i, payload });
      if (i % 500 === 0) await publisher.roundTrip();
    }
    await waitFor(
      () => fast.frames.length === total,
      'the fast consumer to get every event',
      20000,
    );
    const status = await getJson(`${hub.httpUrl}/status`);
    const stalledStatus = status.peers.messengers.find((m: { dropped: number }) => m.dropped > 0);
    expect(stalledStatus.dropped).toBeGreaterThan(total / 2);
    expect(stalledStatus.bytesQueued).toBeLessThan(64 * 1024 + 4096 * 2 + 1024 * 1024);
    expect(status.totals.dropped['slow-consumer']).toBe(stalledStatus.dropped);
    stalled.socket.terminate();
    await fast.close();
    await publisher.close();
    await hub.close();
  });
});
