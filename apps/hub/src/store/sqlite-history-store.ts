import type Database from 'better-sqlite3';
import { HistoryRow, HistoryStore, newEpoch } from './history-store';
import { TurnBatch } from './turn-batch';
import { DEFAULT_HEALTH_SETTLE_MS, WriteHealth } from './write-health';

export interface SqliteHistoryOptions {
  /** Events kept per room. */
  size: number;
  log: { error(message: string): void; log(message: string): void };
  /** Rows that could not be written. */
  failed(rows: number): void;
  /** A transaction was committed in the shared file (its WAL grew). */
  committed(): void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS history (
    room TEXT NOT NULL,
    off INTEGER NOT NULL,
    frame BLOB NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (room, off)
  );
  CREATE INDEX IF NOT EXISTS history_at ON history (at);
  CREATE TABLE IF NOT EXISTS history_rooms (room TEXT PRIMARY KEY, latest INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS history_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface Row {
  off: number;
  frame: Buffer;
  at: number;
}

/**
 * History in the durable store's SQLite file, tables of its own. Each room's latest offset
 * is kept even once its events have expired, so offsets never start again under the same
 * epoch. Appends are queued and written in one transaction per turn of the event loop, the
 * count bound applied in the same transaction; `read` joins the rows on disk with those
 * queued, in the caller's turn, so nothing appended is missed or read twice.
 */
export class SqliteHistoryStore implements HistoryStore {
  readonly epoch: string;
  private readonly latestByRoom = new Map<string, number>();
  private pending: HistoryRow[] = [];
  private readonly touched = new Map<string, number>();
  private readonly batch = new TurnBatch(() => this.writePending());
  private closed = false;
  private readonly writeHealth: WriteHealth;
  private readonly writeBatch: () => void;
  private readonly select: Database.Statement<[string, number, number, number], Row>;
  private readonly expire: Database.Statement<[number]>;

  private constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteHistoryOptions,
  ) {
    this.epoch = epochOf(db);
    // History has no health of its own (the durable store's file is the hub's): only its log.
    this.writeHealth = new WriteHealth({ writable: true }, DEFAULT_HEALTH_SETTLE_MS, {
      down: (error) => options.log.error(`cannot write history: ${error}`),
      up: () => options.log.log('history is written again'),
    });
    const rooms = db.prepare('SELECT room, latest FROM history_rooms').all() as {
      room: string;
      latest: number;
    }[];
    for (const { room, latest } of rooms) this.latestByRoom.set(room, latest);
    const insert = db.prepare('INSERT INTO history (room, off, frame, at) VALUES (?, ?, ?, ?)');
    const saveLatest = db.prepare(
      'INSERT INTO history_rooms (room, latest) VALUES (?, ?) ON CONFLICT(room) DO UPDATE SET latest = excluded.latest',
    );
    const trim = db.prepare('DELETE FROM history WHERE room = ? AND off <= ?');
    this.writeBatch = db.transaction(() => {
      for (const row of this.pending) insert.run(row.room, row.offset, row.frame, row.at);
      for (const [room, latest] of this.touched) {
        saveLatest.run(room, latest);
        if (latest > options.size) trim.run(room, latest - options.size);
      }
    });
    this.select = db.prepare(
      'SELECT off, frame, at FROM history WHERE room = ? AND off > ? AND at >= ? ORDER BY off LIMIT ?',
    );
    this.expire = db.prepare('DELETE FROM history WHERE at < ?');
  }

  /** The history tables in an open database (created the first time, with the epoch). */
  static open(db: Database.Database, options: SqliteHistoryOptions): SqliteHistoryStore {
    db.exec(SCHEMA);
    return new SqliteHistoryStore(db, options);
  }

  latest(room: string): number {
    return this.latestByRoom.get(room) ?? 0;
  }

  append(room: string, frame: Buffer, at: number): number {
    const offset = (this.latestByRoom.get(room) ?? 0) + 1;
    this.latestByRoom.set(room, offset);
    if (this.closed) return offset;
    this.pending.push({ room, offset, frame, at });
    this.touched.set(room, offset);
    this.schedule();
    return offset;
  }

  read(room: string, after: number, notBefore: number, limit: number): HistoryRow[] {
    const out: HistoryRow[] = [];
    if (this.db.open)
      for (const row of this.select.all(room, after, notBefore, limit))
        out.push({ room, offset: row.off, frame: row.frame, at: row.at });
    for (const row of this.pending) {
      if (out.length >= limit) break;
      if (row.room === room && row.offset > after && row.at >= notBefore) out.push(row);
    }
    return out;
  }

  sweep(notBefore: number): void {
    if (this.closed || !this.db.open) return;
    try {
      this.expire.run(notBefore);
      this.options.committed();
    } catch (error) {
      this.options.log.error(`cannot remove expired history: ${(error as Error).message}`);
    }
  }

  flush(): void {
    this.batch.flush();
  }

  written(): Promise<void> {
    return this.batch.written();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.writeHealth.stop();
  }

  private writePending(): void {
    if (this.pending.length === 0 && this.touched.size === 0) return;
    try {
      // The durable store owns the file and may have closed it first: nothing to write to.
      if (!this.db.open) throw new Error('the store is closed');
      this.writeBatch();
      this.options.committed();
      this.writeHealth.succeeded();
    } catch (error) {
      // What was not written is a gap a recovery will see (it never replays part of one).
      this.options.failed(this.pending.length);
      this.writeHealth.failed((error as Error).message);
    } finally {
      this.pending = [];
      this.touched.clear();
    }
  }

  private schedule(): void {
    this.batch.schedule();
  }
}

/** The store's epoch, made and kept the first time the history tables are opened. */
function epochOf(db: Database.Database): string {
  const row = db.prepare("SELECT value FROM history_meta WHERE key = 'epoch'").get() as
    { value: string } | undefined;
  if (row) return row.value;
  const epoch = newEpoch();
  db.prepare("INSERT INTO history_meta (key, value) VALUES ('epoch', ?)").run(epoch);
  return epoch;
}
