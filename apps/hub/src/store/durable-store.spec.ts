import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore, NewStoredEvent } from './durable-store';
import { MemoryDurableStore } from './memory-durable-store';
import { SqliteDurableStore } from './sqlite-durable-store';

const event = (n: number, group = 'g'): NewStoredEvent => ({
  group,
  heldRoom: 'R',
  room: 'R',
  frame: Buffer.from(`R\n{"n":${n}}`),
  keptAt: 1_000 + n,
});

const numbers = (store: DurableStore) =>
  store.load().events.map((e) => JSON.parse(e.frame.toString().split('\n')[1]).n as number);

function counters() {
  const counted: Record<string, number> = {};
  return {
    counted,
    durable: (what: string, count = 1) => (counted[what] = (counted[what] ?? 0) + count),
  };
}

function quietLog() {
  const lines: string[] = [];
  const record = (message: string) => void lines.push(message);
  return { lines, error: record, warn: record, log: record };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ces-store-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The same contract for both stores; `reopen` gives what a restarted hub would see. */
const implementations: [
  string,
  () => { store: DurableStore; reopen: () => Promise<DurableStore> },
][] = [
  [
    'memory',
    () => {
      const store = new MemoryDurableStore();
      return { store, reopen: () => Promise.resolve(store) };
    },
  ],
  [
    'sqlite',
    () => {
      const open = () =>
        SqliteDurableStore.open({
          file: join(dir, 'hub.sqlite'),
          sync: 'normal',
          counters: counters(),
          log: quietLog(),
        });
      const store = open();
      return {
        store,
        reopen: async () => {
          await store.close();
          return open();
        },
      };
    },
  ],
];

describe.each(implementations)('the %s durable store', (_name, make) => {
  it('keeps appended events in order, without those removed', async () => {
    const { store, reopen } = make();
    const ids = [1, 2, 3, 4].map((n) => store.append(event(n)));
    expect(new Set(ids).size).toBe(4);
    store.remove(ids[1]);
    store.flush();
    const again = await reopen();
    expect(numbers(again)).toEqual([1, 3, 4]);
    expect(again.load().events[0]).toMatchObject({ id: ids[0], group: 'g', keptAt: 1_001 });
    await again.close();
  });

  it('removes written events in batches of any size, the last partial one included', async () => {
    const { store, reopen } = make();
    const ids = Array.from({ length: 300 }, (_, n) => store.append(event(n)));
    store.flush();
    // Every event but each seventh, written already, removed in one batch.
    for (const [n, id] of ids.entries()) if (n % 7 !== 0) store.remove(id);
    store.flush();
    const again = await reopen();
    expect(numbers(again)).toEqual(ids.map((_, n) => n).filter((n) => n % 7 === 0));
    await again.close();
  });

  it('keeps durable groups and their rooms, and forgets a group with its events', async () => {
    const { store, reopen } = make();
    store.saveGroup({ name: 'g', rooms: ['A'] });
    store.saveGroup({ name: 'g', rooms: ['A', 'B'] });
    store.saveGroup({ name: 'h', rooms: ['*'] });
    store.append(event(1, 'g'));
    store.append(event(2, 'h'));
    store.flush();
    const restarted = await reopen();
    const byName = (store: DurableStore) =>
      store.load().groups.sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(restarted)).toEqual([
      { name: 'g', rooms: ['A', 'B'] },
      { name: 'h', rooms: ['*'] },
    ]);
    restarted.forgetGroup('g');
    restarted.flush();
    expect(byName(restarted)).toEqual([{ name: 'h', rooms: ['*'] }]);
    const again = restarted;
    expect(numbers(again)).toEqual([2]);
    await again.close();
  });

  it('gives ids after a restart that follow those it holds', async () => {
    const { store, reopen } = make();
    const first = store.append(event(1));
    store.flush();
    const again = await reopen();
    expect(again.append(event(2))).toBeGreaterThan(first);
    await again.close();
  });
});

describe('the SQLite durable store', () => {
  const file = () => join(dir, 'hub.sqlite');
  const open = (c = counters(), log = quietLog()) =>
    SqliteDurableStore.open({ file: file(), sync: 'full', counters: c, log });

  it('writes a turn’s changes in one batch once the turn ends, and never what was removed in it', async () => {
    const c = counters();
    const store = open(c);
    for (let n = 1; n <= 100; n++) store.append(event(n));
    store.remove(store.append(event(101)));
    expect(c.counted.stored).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(c.counted.stored).toBe(100);
    expect(numbers(store)).toHaveLength(100);
    await store.close();
  });

  it('refuses a second opener of the same file, naming it', async () => {
    const store = open();
    expect(() => open()).toThrow(`the store ${file()} is in use by another process`);
    await store.close();
    await open().close();
  });

  it('resolves `written` once the turn’s batch is in the file', async () => {
    const store = open();
    await expect(store.written()).resolves.toBeUndefined();
    store.append(event(1));
    let done = false;
    const written = store.written().then(() => (done = true));
    expect(done).toBe(false);
    await written;
    expect(numbers(store)).toEqual([1]);
    await store.close();
  });

  it('moves a damaged file aside, says so, and starts empty', async () => {
    writeFileSync(file(), Buffer.alloc(8192, 0x5a));
    const c = counters();
    const log = quietLog();
    const store = open(c, log);
    expect(store.load()).toEqual({ groups: [], events: [] });
    const aside = readdirSync(dir).filter((name) => name.startsWith('hub.sqlite.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(log.lines.join('\n')).toContain(join(dir, aside[0]));
    expect(c.counted['store-damaged']).toBe(1);
    await store.close();
  });

  it('on a full disk: unwritable, counted, said once, removals still written; writable again once there is room', async () => {
    const c = counters();
    const log = quietLog();
    const store = SqliteDurableStore.open({
      file: file(),
      sync: 'normal',
      maxBytes: 64 * 1024,
      healthSettleMs: 0,
      counters: c,
      log,
    });
    const big = (n: number): NewStoredEvent => ({ ...event(n), frame: Buffer.alloc(4096, 0x61) });
    const ids: number[] = [];
    for (let n = 1; n <= 5; n++) ids.push(store.append(big(n)));
    store.flush();
    expect(store.health.writable).toBe(true);
    for (let n = 6; n <= 40; n++) ids.push(store.append(big(n)));
    store.remove(ids[0]);
    store.flush();
    expect(store.health.writable).toBe(false);
    expect(store.health.error).toMatch(/full/);
    expect(c.counted['store-failed']).toBe(35);
    expect(log.lines.filter((line) => line.includes('cannot write'))).toHaveLength(1);
    // The removal went in alone.
    expect(store.load().events.map((e) => e.id)).toEqual(ids.slice(1, 5));
    store.append(big(41));
    store.flush();
    expect(store.health).toEqual({ writable: true });
    expect(store.load().events).toHaveLength(5);
    await store.close();
  });

  it('near full, does not flap with batches that fit one turn and not the next', async () => {
    const c = counters();
    const log = quietLog();
    const writableAgain = new Promise<number>((resolve) => {
      const record = log.log;
      log.log = (message: string) => {
        record(message);
        if (message.includes('writable again')) resolve(Date.now());
      };
    });
    const settleMs = 300;
    const store = SqliteDurableStore.open({
      file: file(),
      sync: 'normal',
      maxBytes: 64 * 1024,
      healthSettleMs: settleMs,
      counters: c,
      log,
    });
    const sized = (n: number, bytes: number): NewStoredEvent => ({
      ...event(n),
      frame: Buffer.alloc(bytes, 0x61),
    });
    const ids: number[] = [];
    while (store.health.writable && ids.length < 100) {
      ids.push(store.append(sized(ids.length + 1, 4096)));
      store.flush();
    }
    expect(store.health.writable).toBe(false);
    // Room for small events, not for large batches.
    for (const id of ids.slice(0, 3)) store.remove(id);
    store.flush();
    let n = ids.length;
    const stored = () => c.counted['stored'] ?? 0;
    const failed = () => c.counted['store-failed'] ?? 0;
    for (let turn = 0; turn < 20; turn++) {
      const before = { stored: stored(), failed: failed() };
      for (let k = 0; k < 10; k++) store.append(sized(++n, 4096));
      store.flush();
      expect(failed()).toBe(before.failed + 10);
      store.append(sized(++n, 16));
      store.flush();
      expect(stored()).toBe(before.stored + 1);
      expect(store.health.writable).toBe(false);
    }
    const lastFailure = Date.now();
    // One more small one, then no write: writable again once the settling time has passed.
    store.append(sized(++n, 16));
    store.flush();
    expect(store.health.writable).toBe(false);
    const recoveredAt = await writableAgain;
    expect(store.health).toEqual({ writable: true });
    expect(recoveredAt - lastFailure).toBeGreaterThanOrEqual(settleMs - 5);
    expect(log.lines.filter((line) => line.includes('cannot write'))).toHaveLength(1);
    expect(log.lines.filter((line) => line.includes('writable again'))).toHaveLength(1);
    await store.close();
  });
});
