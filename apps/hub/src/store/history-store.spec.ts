import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from './history-store';
import { MemoryHistoryStore } from './memory-history-store';
import { SqliteDurableStore } from './sqlite-durable-store';
import { SqliteHistoryStore } from './sqlite-history-store';

const quiet = { error: () => undefined, warn: () => undefined, log: () => undefined };
const frame = (n: number) => Buffer.from(`R\n{"n":${n}}`);
const offsets = (store: HistoryStore, after = 0, notBefore = 0, limit = 1000) =>
  store.read('R', after, notBefore, limit).map((row) => row.offset);

let dir: string;
let opened: SqliteDurableStore[] = [];
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ces-history-'))));
/** Closes the durable stores opened so far, as a stopping hub does, thread and all. */
async function closeOpened(): Promise<void> {
  for (const durable of opened) await durable.close();
  opened = [];
}
afterEach(async () => {
  await closeOpened();
  rmSync(dir, { recursive: true, force: true });
});

/** A history store on a fresh durable store of the same file: what a restarted hub opens. */
function sqliteHistory(size: number, failed: (rows: number) => void = () => undefined) {
  const durable = SqliteDurableStore.open({
    file: join(dir, 'hub.sqlite'),
    sync: 'normal',
    counters: { durable: () => undefined },
    log: quiet,
  });
  opened.push(durable);
  return SqliteHistoryStore.open(durable.database, {
    size,
    log: quiet,
    failed,
    committed: () => durable.committedElsewhere(),
  });
}

const implementations: [string, (size: number) => HistoryStore][] = [
  ['memory', (size) => new MemoryHistoryStore(size)],
  ['sqlite', (size) => sqliteHistory(size)],
];

describe.each(implementations)('%s history store', (_name, create) => {
  it('gives each room its own offsets, from 1', () => {
    const store = create(10);
    expect(store.append('R', frame(1), 1)).toBe(1);
    expect(store.append('S', frame(1), 1)).toBe(1);
    expect(store.append('R', frame(2), 1)).toBe(2);
    expect(store.latest('R')).toBe(2);
    expect(store.latest('none')).toBe(0);
  });

  it('reads what was appended in the same turn, after the asked offset, in order', () => {
    const store = create(10);
    for (let n = 1; n <= 5; n++) store.append('R', frame(n), n);
    expect(offsets(store, 2)).toEqual([3, 4, 5]);
    expect(store.read('R', 4, 0, 10)[0].frame).toEqual(frame(5));
  });

  it('reads written and pending rows together, none twice', () => {
    const store = create(10);
    for (let n = 1; n <= 3; n++) store.append('R', frame(n), n);
    store.flush();
    for (let n = 4; n <= 6; n++) store.append('R', frame(n), n);
    expect(offsets(store)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(offsets(store, 0, 0, 4)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the last `size` events of each room', () => {
    const store = create(3);
    for (let n = 1; n <= 7; n++) store.append('R', frame(n), n);
    store.flush();
    expect(offsets(store)).toEqual([5, 6, 7]);
    expect(store.latest('R')).toBe(7);
  });

  it('leaves out and sweeps events older than the age bound', () => {
    const store = create(10);
    for (let n = 1; n <= 4; n++) store.append('R', frame(n), n * 100);
    store.flush();
    expect(offsets(store, 0, 250)).toEqual([3, 4]);
    store.sweep(350);
    expect(offsets(store)).toEqual([4]);
  });

  it('has an epoch of 8 url-safe characters', () => {
    expect(create(1).epoch).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });
});

describe('sqlite history store across a restart', () => {
  it('keeps its epoch, its events and its offsets', async () => {
    const first = sqliteHistory(10);
    for (let n = 1; n <= 3; n++) first.append('R', frame(n), n);
    first.close();
    await closeOpened();
    const again = sqliteHistory(10);
    expect(again.epoch).toBe(first.epoch);
    expect(offsets(again)).toEqual([1, 2, 3]);
    expect(again.append('R', frame(4), 4)).toBe(4);
  });

  it('goes on from the latest offset once every event has expired', async () => {
    const first = sqliteHistory(10);
    first.append('R', frame(1), 1);
    first.flush();
    first.sweep(1_000);
    first.close();
    await closeOpened();
    const again = sqliteHistory(10);
    expect(offsets(again)).toEqual([]);
    expect(again.append('R', frame(2), 2)).toBe(2);
  });

  it('counts what it could not write once the file is closed, and reads none of it', async () => {
    let failed = 0;
    const store = sqliteHistory(10, (rows) => (failed += rows));
    await closeOpened();
    store.append('R', frame(1), 1);
    store.flush();
    expect(failed).toBe(1);
    expect(offsets(store)).toEqual([]);
  });
});

describe('memory history store', () => {
  it('has a fresh epoch each start', () => {
    expect(new MemoryHistoryStore(1).epoch).not.toBe(new MemoryHistoryStore(1).epoch);
  });
});
