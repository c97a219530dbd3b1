import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { summarize } from '../report/statistics';
import { freePort } from '../targets/free-port';
import { startTarget } from '../targets/target-process';

/** The recovery scenario: one history room, `events` missed while away, resumed at once. */
export const RECOVERY_EVENTS = 10_000;
const ROOM = 'bench-history';

export type RecoveryStore = 'sqlite' | 'memory';

export interface RecoveryRecord {
  run: number;
  store: RecoveryStore;
  events: number;
  /** From sending the resuming subscription to the last replayed event received. */
  recoverMs: number;
  /** The same, from dialing (handshake included). */
  reconnectAndRecoverMs: number;
}

function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves once the hub has read all that was sent before: pongs come back in order. */
function roundTrip(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    socket.once('pong', () => resolve());
    socket.ping();
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `ROOM\n@EPOCH:OFFSET\n…` → the position. */
function positionOf(data: Buffer): { epoch: string; offset: number } {
  const line = data.toString(
    'latin1',
    data.indexOf(0x0a) + 1,
    data.indexOf(0x0a, data.indexOf(0x0a) + 1),
  );
  const match = /^@([^:]+):(\d+)$/.exec(line);
  if (!match) throw new Error('the hub sent an event without a position');
  return { epoch: match[1], offset: Number(match[2]) };
}

/**
 * The hub with one history room (HUB_STORE `store`): a subscriber sees one event and leaves,
 * `events` more are published and written, and a new connection resumes from the first:
 * how long until the last missed event has arrived, every one checked in order.
 */
export async function measureRecovery(
  run: number,
  store: RecoveryStore,
  events = RECOVERY_EVENTS,
  payloadBytes = 200,
): Promise<RecoveryRecord> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ces-bench-history-'));
  const port = await freePort();
  const target = await startTarget('hub', port, {
    HUB_STORE: store,
    HUB_DATA_DIR: dataDir,
    HUB_HISTORY_ROOMS: ROOM,
    HUB_HISTORY_SIZE: String(events + 1),
    HUB_HISTORY_MAX_RECOVERY: String(events),
    // The replay must fit the subscriber's send budget at once, or the hub says too-many.
    HUB_SEND_HIGH_WATER_BYTES: String(Math.max(16 * 2 ** 20, 2 * events * (payloadBytes + 64))),
  });
  const sockets: WebSocket[] = [];
  try {
    const endpoint = `${target.url}/connect/messenger`;
    const first = await open(endpoint);
    const publisher = await open(endpoint);
    sockets.push(first, publisher);
    first.send(JSON.stringify({ rooms: [ROOM], create: true, positions: true }));
    await roundTrip(first);
    const seen = new Promise<Buffer>((resolve) => first.once('message', resolve));
    const frame = (n: number) =>
      Buffer.from(`${ROOM}\n${JSON.stringify({ n, pad: 'x'.repeat(payloadBytes) })}`);
    publisher.send(frame(0));
    const from = positionOf(await within(seen, 5_000, 'the first event'));
    first.close();
    for (let n = 1; n <= events; n++) {
      publisher.send(frame(n));
      if (n % 500 === 0) await roundTrip(publisher);
    }
    // Two round trips: the turn that routed the last event and its write batch are over.
    await roundTrip(publisher);
    await roundTrip(publisher);

    const dialedAt = performance.now();
    const resumed = await open(endpoint);
    sockets.push(resumed);
    let replayed = 0;
    let report: { recovered?: boolean; events?: number; reason?: string } | undefined;
    const done = new Promise<number>((resolve, reject) => {
      resumed.on('message', (data: Buffer, binary: boolean) => {
        if (!binary) {
          report = (JSON.parse(data.toString()) as { recovery?: typeof report }).recovery;
          if (report && !report.recovered) reject(new Error(`not recovered: ${report.reason}`));
          return;
        }
        const { offset } = positionOf(data);
        if (offset !== from.offset + 1 + replayed)
          return reject(new Error(`offset ${offset} out of order`));
        if (++replayed === events) resolve(performance.now());
      });
    });
    const askedAt = performance.now();
    resumed.send(
      JSON.stringify({ rooms: [ROOM], create: true, positions: true, recover: { [ROOM]: from } }),
    );
    const lastAt = await within(done, 60_000, `${events} replayed events`);
    if (report?.events !== events) throw new Error('the report did not come first');
    return {
      run,
      store,
      events,
      recoverMs: lastAt - askedAt,
      reconnectAndRecoverMs: lastAt - dialedAt,
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    await target.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A markdown table of the recovery runs, medians with min–max. */
export function recoveryReport(records: RecoveryRecord[]): string {
  if (records.length === 0) return '';
  const rows = (['sqlite', 'memory'] as const).flatMap((store) => {
    const of = records.filter((r) => r.store === store);
    if (of.length === 0) return [];
    const recover = of.map((r) => r.recoverMs);
    const total = of.map((r) => r.reconnectAndRecoverMs);
    const perSec = of.map((r) => (r.events / r.recoverMs) * 1000);
    return [
      `| ${store} | ${of[0].events} | ${summarize(recover, 1)} | ${summarize(total, 1)} | ${summarize(perSec)} |`,
    ];
  });
  return `
### recovery

One history room; a subscriber resumes after ${records[0].events.toLocaleString('en-US')} events it missed (200-byte payloads),
all of them checked in order. Runs: ${records.length / 2}.

| store | events | resume → last replayed (ms) | dial → last replayed (ms) | replayed events/s |
| ----- | ------ | --------------------------- | ------------------------- | ----------------- |
${rows.join('\n')}
`;
}
