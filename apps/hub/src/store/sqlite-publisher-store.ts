import { PublisherRecord } from '../confirms/publisher-book';
import { PublisherStore } from './publisher-store';
import { SqliteDurableStore } from './sqlite-durable-store';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS publishers (
    publisher TEXT PRIMARY KEY,
    taken INTEGER NOT NULL,
    heard_at INTEGER NOT NULL
  );
`;

interface PublisherRow {
  publisher: string;
  taken: number;
  heard_at: number;
}

/**
 * Publishers' taken counts in the durable store's SQLite file, written in the durable store's
 * own transaction: a crash keeps both an event and the count that covers it, or neither, so a
 * publisher's resend after a restart is neither lost nor delivered twice.
 */
export class SqlitePublisherStore implements PublisherStore {
  private readonly pending = new Map<string, PublisherRecord>();
  private readonly forgets = new Set<string>();

  constructor(private readonly events: SqliteDurableStore) {
    const db = events.database;
    db.exec(SCHEMA);
    const upsert = db.prepare(
      'INSERT INTO publishers (publisher, taken, heard_at) VALUES (?, ?, ?) ON CONFLICT(publisher) DO UPDATE SET taken = excluded.taken, heard_at = excluded.heard_at',
    );
    const remove = db.prepare('DELETE FROM publishers WHERE publisher = ?');
    events.joinBatch({
      pendingRows: () => this.pending.size + this.forgets.size,
      write: () => {
        for (const publisher of this.forgets) remove.run(publisher);
        for (const r of this.pending.values()) upsert.run(r.publisher, r.taken, r.heardAt);
      },
      clear: () => {
        this.pending.clear();
        this.forgets.clear();
      },
    });
  }

  load(): PublisherRecord[] {
    const rows = this.events.database
      .prepare('SELECT publisher, taken, heard_at FROM publishers')
      .all() as PublisherRow[];
    return rows.map((row) => ({
      publisher: row.publisher,
      taken: row.taken,
      heardAt: row.heard_at,
    }));
  }

  save(record: PublisherRecord): void {
    this.forgets.delete(record.publisher);
    this.pending.set(record.publisher, record);
    this.events.touch();
  }

  forget(publisher: string): void {
    this.pending.delete(publisher);
    this.forgets.add(publisher);
    this.events.touch();
  }

  written(): Promise<void> {
    return this.events.written();
  }
}
