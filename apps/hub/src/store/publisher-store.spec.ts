import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublisherRecord } from '../confirms/publisher-book';
import { MemoryPublisherStore } from './memory-publisher-store';
import { SqliteDurableStore } from './sqlite-durable-store';
import { SqlitePublisherStore } from './sqlite-publisher-store';

const log = { error: () => undefined, warn: () => undefined, log: () => undefined };
const counters = { durable: () => undefined };

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ces-publishers-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open() {
  const events = SqliteDurableStore.open({
    file: join(dir, 'hub.sqlite'),
    sync: 'normal',
    counters,
    log,
  });
  return { events, publishers: new SqlitePublisherStore(events) };
}

const event = { group: 'g', heldRoom: 'R', room: 'R', frame: Buffer.from('R\n{}'), keptAt: 1 };

describe('the SQLite publisher store', () => {
  it('writes a taken count in the same batch as the events, with its value at write time', async () => {
    const { events, publishers } = open();
    const record: PublisherRecord = { publisher: 'p', taken: 1, heardAt: 10 };
    publishers.save(record);
    events.append(event);
    record.taken = 2;
    await publishers.written();
    const database = events.database;
    expect(database.prepare('SELECT taken FROM publishers').all()).toEqual([{ taken: 2 }]);
    expect(database.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 1 });
    await events.close();
    const again = open();
    expect(again.publishers.load()).toEqual([{ publisher: 'p', taken: 2, heardAt: 10 }]);
    await again.events.close();
  });

  it('writes nothing of a batch whose transaction fails: no count without its events', async () => {
    const { events, publishers } = open();
    events.append(event);
    publishers.save({ publisher: 'p', taken: 5, heardAt: 1 });
    events.database.exec('DROP TABLE events');
    events.flush();
    expect(events.health.writable).toBe(false);
    expect(events.database.prepare('SELECT COUNT(*) AS n FROM publishers').get()).toEqual({
      n: 0,
    });
    await events.close();
  });

  it('forgets a publisher, and a later save brings it back', async () => {
    const { events, publishers } = open();
    const record = { publisher: 'p', taken: 3, heardAt: 1 };
    publishers.save(record);
    publishers.save({ publisher: 'q', taken: 1, heardAt: 1 });
    await publishers.written();
    publishers.forget('p');
    await publishers.written();
    expect(publishers.load().map((r) => r.publisher)).toEqual(['q']);
    publishers.forget('q');
    publishers.save({ publisher: 'q', taken: 4, heardAt: 2 });
    await publishers.written();
    expect(publishers.load()).toEqual([{ publisher: 'q', taken: 4, heardAt: 2 }]);
    await events.close();
  });
});

describe('the memory publisher store', () => {
  it('keeps what it is told for as long as the instance lives', async () => {
    const store = new MemoryPublisherStore();
    store.save({ publisher: 'p', taken: 3, heardAt: 1 });
    store.save({ publisher: 'q', taken: 1, heardAt: 1 });
    store.forget('q');
    await store.written();
    expect(store.load()).toEqual([{ publisher: 'p', taken: 3, heardAt: 1 }]);
  });
});
