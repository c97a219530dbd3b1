import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { NewStoredEvent } from './durable-store';
import { SqliteDurableStore } from './sqlite-durable-store';

const MIB = 1024 * 1024;
const EVENT_BYTES = 2048;
const EVENTS_PER_TURN = 40;

const event = (n: number): NewStoredEvent => ({
  group: 'g',
  heldRoom: 'R',
  room: 'R',
  frame: Buffer.alloc(EVENT_BYTES, n % 251),
  keptAt: n,
});

let dir: string;
let store: SqliteDurableStore | undefined;
const file = () => join(dir, 'hub.sqlite');
const walBytes = () => statSync(`${file()}-wal`, { throwIfNoEntry: false })?.size ?? 0;

function open(
  counted: Record<string, number> = {},
  lines: string[] = [],
  walThreadIdleMs?: number,
): SqliteDurableStore {
  const record = (message: string) => void lines.push(message);
  store = SqliteDurableStore.open({
    file: file(),
    sync: 'normal',
    maxWalBytes: MIB,
    walThreadIdleMs,
    counters: { durable: (what, count = 1) => (counted[what] = (counted[what] ?? 0) + count) },
    log: { error: record, warn: record, log: record },
  });
  return store;
}

/** A turn of writes, as a busy hub's: new events in, the previous turn's acknowledged. */
async function turn(s: SqliteDurableStore, n: number, previous: number[]): Promise<number[]> {
  for (const id of previous) s.remove(id);
  const ids = Array.from({ length: EVENTS_PER_TURN }, (_, k) =>
    s.append(event(n * EVENTS_PER_TURN + k)),
  );
  await s.written();
  return ids;
}

function runningThread(s: SqliteDurableStore): Worker {
  const thread = s.walCheckpointer.thread;
  if (!thread) throw new Error('no checkpoint thread runs');
  return thread;
}

beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ces-wal-'))));
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('the durable store’s WAL checkpoints', () => {
  it('start a thread only at the first write, and keep the WAL bounded while writes flow', async () => {
    const s = open();
    s.load();
    expect(s.walCheckpointer.thread).toBeUndefined();
    let ids: number[] = [];
    let largest = 0;
    let answers = 0;
    // 400 turns of 40 events of 2 KiB: 32 MiB through a WAL that would keep every frame of it.
    for (let n = 0; n < 400; n++) {
      ids = await turn(s, n, ids);
      largest = Math.max(largest, walBytes());
      if (n % 40 === 39) {
        // A checkpoint answered by the thread, asked for by the turns just written.
        await once(runningThread(s), 'message');
        answers++;
      }
    }
    expect(answers).toBe(10);
    expect(largest).toBeGreaterThan(0);
    // The bound is 1 MiB, overshot at most by what is committed while the thread copies.
    expect(largest).toBeLessThan(8 * MIB);
    expect(s.load().events).toHaveLength(EVENTS_PER_TURN);
  });

  it('keep the file to one store while the thread has a second connection to it', async () => {
    const s = open();
    await turn(s, 0, []);
    runningThread(s);
    expect(() => open()).toThrow(`the store ${file()} is in use by another process`);
  });

  it('end the thread before the file closes, which then leaves only the file and its lock', async () => {
    const s = open();
    await turn(s, 0, []);
    const thread = runningThread(s);
    const exited = once(thread, 'exit');
    await s.close();
    await exited;
    expect(thread.threadId).toBe(-1);
    expect(s.walCheckpointer.thread).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual(['hub.sqlite', 'hub.sqlite.lock']);
    const again = open();
    expect(again.load().events).toHaveLength(EVENTS_PER_TURN);
  });

  it('end the thread once the store is idle, and start another at the next write', async () => {
    const counted: Record<string, number> = {};
    const s = open(counted, [], 50);
    await turn(s, 0, []);
    const idle = runningThread(s);
    const [code] = (await once(idle, 'exit')) as [number];
    expect(code).toBe(0);
    expect(s.walCheckpointer.thread).toBeUndefined();
    expect(counted['checkpointer-failed']).toBeUndefined();
    await turn(s, 1, []);
    expect(runningThread(s)).not.toBe(idle);
  });

  it('go on after the thread crashes: logged, counted, started again, then on the event loop within the bound', async () => {
    const counted: Record<string, number> = {};
    const lines: string[] = [];
    const s = open(counted, lines);
    let ids = await turn(s, 0, []);
    const first = runningThread(s);
    await first.terminate();
    expect(counted['checkpointer-failed']).toBe(1);
    expect(lines.join('\n')).toContain('the WAL checkpoint thread of');
    ids = await turn(s, 1, ids);
    expect(runningThread(s)).not.toBe(first);
    // Three more crashes: no thread is started again, the store's connection checkpoints.
    for (let crash = 2; crash <= 4; crash++) {
      await runningThread(s).terminate();
      ids = await turn(s, crash, ids);
    }
    expect(counted['checkpointer-failed']).toBe(4);
    expect(s.walCheckpointer.thread).toBeUndefined();
    let largest = 0;
    for (let n = 5; n < 200; n++) {
      ids = await turn(s, n, ids);
      largest = Math.max(largest, walBytes());
    }
    // The bound (1 MiB) is looked at every 16 commits (16 turns here, 1.3 MiB of events): no
    // thread can be busy and answer for it, so it never stays over for longer.
    expect(largest).toBeLessThan(3 * MIB);
    expect(counted['wal-checkpoint-inline']).toBeGreaterThan(0);
    expect(counted['store-failed']).toBeUndefined();
    await s.close();
    const again = open();
    expect(again.load().events.map((e) => e.id)).toEqual(ids);
  });
});
