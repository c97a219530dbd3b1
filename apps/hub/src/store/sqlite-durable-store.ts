import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import {
  DurableStore,
  NewStoredEvent,
  StoreContents,
  StoreCounters,
  StoredEvent,
  StoredGroup,
  StoreHealth,
} from './durable-store';
import { StoreLock } from './store-lock';
import { TurnBatch } from './turn-batch';
import { WalCheckpointer } from './wal-checkpointer';
import { DEFAULT_HEALTH_SETTLE_MS, WriteHealth } from './write-health';

export interface SqliteStoreOptions {
  file: string;
  /** `normal` survives a crash of the process (WAL); `full` also a power loss, at a cost per batch. */
  sync: 'normal' | 'full';
  /** The file grows to this many bytes at most (0: no limit); beyond it, writes fail as on a full disk. */
  maxBytes?: number;
  /** The WAL's file grows to about this many bytes at most (see `WalCheckpointer`). */
  maxWalBytes?: number;
  /** How long the checkpoint thread outlives the last write (tests shorten it). */
  walThreadIdleMs?: number;
  /** Writes succeeding this long with no failure make a store that failed writable again. */
  healthSettleMs?: number;
  counters: StoreCounters;
  log: { error(message: string): void; warn(message: string): void; log(message: string): void };
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    grp TEXT NOT NULL,
    held_room TEXT NOT NULL,
    room TEXT NOT NULL,
    frame BLOB NOT NULL,
    kept_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS groups (name TEXT PRIMARY KEY, rooms TEXT NOT NULL);
`;

interface EventRow {
  id: number;
  grp: string;
  held_room: string;
  room: string;
  frame: Buffer;
  kept_at: number;
}

const REMOVALS_PER_STATEMENT = 64;
/** What the hub's setting defaults to, for stores opened without one (the unit tests). */
const DEFAULT_MAX_WAL_BYTES = 32 * 1024 * 1024;

/** Rows another store of the same file writes in this store's transaction (see `joinBatch`). */
export interface BatchPart {
  pendingRows(): number;
  /** Writes the pending rows; runs inside the batch's transaction. */
  write(): void;
  /** The batch is over (written or failed): the pending rows go. */
  clear(): void;
}

/** Another process holds the store's file. */
export class StoreInUseError extends Error {}

/** The file is not a database, or fails SQLite's own check. */
class DamagedStoreError extends Error {}

/**
 * Durable groups' events in an SQLite file (WAL). Changes are queued in memory and written
 * in one transaction per turn of the event loop, so storing costs a row in a batch, never a
 * write per event; an event added and removed within the same turn is never written.
 * A write that fails (full or read-only disk) is logged once, counted, and makes the store
 * report itself unwritable until a write succeeds again; the hub goes on routing meanwhile.
 */
export class SqliteDurableStore implements DurableStore {
  readonly health: StoreHealth = { writable: true };
  private readonly writeHealth: WriteHealth;
  private readonly pendingEvents = new Map<number, StoredEvent>();
  private pendingRemovals: number[] = [];
  private readonly pendingSaves = new Map<string, string[]>();
  private readonly pendingForgets = new Set<string>();
  private readonly batch = new TurnBatch(() => this.writePending());
  private closed = false;
  private lastId: number;
  private readonly writeBatch: () => void;
  private readonly writeRemovals: () => void;
  private readonly batchParts: BatchPart[] = [];
  private readonly checkpointer: WalCheckpointer;
  private closing?: Promise<void>;

  private constructor(
    private readonly db: Database.Database,
    private readonly lock: StoreLock,
    private readonly options: SqliteStoreOptions,
  ) {
    this.writeHealth = new WriteHealth(
      this.health,
      options.healthSettleMs ?? DEFAULT_HEALTH_SETTLE_MS,
      {
        down: (error) =>
          options.log.error(
            `cannot write the store ${options.file}: ${error}; durable events are held in memory only until writes succeed again`,
          ),
        up: () => options.log.log(`the store ${options.file} is writable again`),
      },
    );
    this.checkpointer = new WalCheckpointer(db, {
      file: options.file,
      sync: options.sync,
      maxWalBytes: options.maxWalBytes ?? DEFAULT_MAX_WAL_BYTES,
      idleMs: options.walThreadIdleMs,
      counters: options.counters,
      log: options.log,
    });
    const row = db.prepare('SELECT MAX(id) AS last FROM events').get() as { last: number | null };
    this.lastId = row.last ?? 0;
    const insert = db.prepare(
      'INSERT INTO events (id, grp, held_room, room, frame, kept_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const remove = db.prepare('DELETE FROM events WHERE id = ?');
    const removeMany = db.prepare(
      `DELETE FROM events WHERE id IN (${new Array(REMOVALS_PER_STATEMENT).fill('?').join(',')})`,
    );
    const forgetEvents = db.prepare('DELETE FROM events WHERE grp = ?');
    const forgetGroup = db.prepare('DELETE FROM groups WHERE name = ?');
    const saveGroup = db.prepare(
      'INSERT INTO groups (name, rooms) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET rooms = excluded.rooms',
    );
    const removals = () => {
      for (const name of this.pendingForgets) {
        forgetEvents.run(name);
        forgetGroup.run(name);
      }
      // Acknowledgements remove rows by the thousand: a statement per many rows, not per row.
      const ids = this.pendingRemovals;
      let next = 0;
      for (; next + REMOVALS_PER_STATEMENT <= ids.length; next += REMOVALS_PER_STATEMENT)
        removeMany.run(ids.slice(next, next + REMOVALS_PER_STATEMENT));
      for (; next < ids.length; next++) remove.run(ids[next]);
    };
    this.writeRemovals = db.transaction(removals);
    this.writeBatch = db.transaction(() => {
      removals();
      for (const [name, rooms] of this.pendingSaves) saveGroup.run(name, JSON.stringify(rooms));
      for (const e of this.pendingEvents.values())
        insert.run(e.id, e.group, e.heldRoom, e.room, e.frame, e.keptAt);
      for (const part of this.batchParts) part.write();
    });
  }

  /**
   * Opens (or creates) the store's file. A file that is not a database or fails SQLite's
   * check is moved aside as `<file>.corrupt-<time>` (with its WAL) and an empty store is
   * started: the hub keeps routing, and the damaged file stays for inspection. No checkpoint
   * thread runs yet (it starts at the first write), so nothing else has the file open then.
   */
  static open(options: SqliteStoreOptions): SqliteDurableStore {
    const lock = takeLock(options.file);
    let db: Database.Database | undefined;
    try {
      db = openOrMoveAside(options);
      return new SqliteDurableStore(db, lock, options);
    } catch (error) {
      db?.close();
      lock.release();
      // The file itself locked: a hub from before the lock file, in exclusive locking mode.
      throw isLocked(error) ? inUse(options.file) : error;
    }
  }

  load(): StoreContents {
    const groups = (
      this.db.prepare('SELECT name, rooms FROM groups').all() as StoredGroupRow[]
    ).map((row) => ({ name: row.name, rooms: JSON.parse(row.rooms) as string[] }));
    const rows = this.db
      .prepare('SELECT id, grp, held_room, room, frame, kept_at FROM events ORDER BY id')
      .all() as EventRow[];
    const events = rows.map((row) => ({
      id: row.id,
      group: row.grp,
      heldRoom: row.held_room,
      room: row.room,
      frame: row.frame,
      keptAt: row.kept_at,
    }));
    return { groups, events };
  }

  append(event: NewStoredEvent): number {
    const id = ++this.lastId;
    if (this.closed) return id;
    const { group, heldRoom, room, frame, keptAt } = event;
    this.pendingEvents.set(id, { id, group, heldRoom, room, frame, keptAt });
    this.schedule();
    return id;
  }

  remove(id: number): void {
    if (this.closed || this.pendingEvents.delete(id)) return;
    this.pendingRemovals.push(id);
    this.schedule();
  }

  saveGroup(group: StoredGroup): void {
    if (this.closed) return;
    this.pendingSaves.set(group.name, [...group.rooms]);
    this.schedule();
  }

  forgetGroup(name: string): void {
    if (this.closed) return;
    this.pendingSaves.delete(name);
    this.pendingForgets.add(name);
    for (const [id, event] of this.pendingEvents)
      if (event.group === name) this.pendingEvents.delete(id);
    this.schedule();
  }

  flush(): void {
    this.batch.flush();
  }

  written(): Promise<void> {
    return this.batch.written();
  }

  private writePending(): void {
    if (this.closed) return;
    const rows =
      this.pendingEvents.size +
      this.pendingRemovals.length +
      this.pendingSaves.size +
      this.pendingForgets.size +
      this.batchParts.reduce((sum, part) => sum + part.pendingRows(), 0);
    if (rows === 0) return;
    const stored = this.pendingEvents.size;
    try {
      this.writeBatch();
      this.checkpointer.committed();
      if (stored > 0) this.options.counters.durable('stored', stored);
      this.writeHealth.succeeded();
    } catch (error) {
      this.failed(error as Error, this.pendingEvents.size + this.pendingSaves.size);
      // Removals need no room: written alone, they keep acknowledged events from coming back.
      this.tryRemovalsAlone();
    } finally {
      this.pendingEvents.clear();
      this.pendingRemovals = [];
      this.pendingSaves.clear();
      this.pendingForgets.clear();
      for (const part of this.batchParts) part.clear();
    }
  }

  /** A store that shares the file committed a transaction of its own: the WAL grew. */
  committedElsewhere(): void {
    if (!this.closed) this.checkpointer.committed();
  }

  /** What checkpoints the WAL, for tests that make its thread crash. */
  get walCheckpointer(): WalCheckpointer {
    return this.checkpointer;
  }

  /** The database, for the stores that share its file. */
  get database(): Database.Database {
    return this.db;
  }

  /**
   * Another store of the same file writes its rows in this store's transaction, once per turn
   * with the events: what must hold together after a crash (a publisher's taken count and the
   * events it covers) is written together or not at all. Kept here rather than in a shared
   * writer so that this store's batching stays as it is for everything else.
   */
  joinBatch(part: BatchPart): void {
    this.batchParts.push(part);
  }

  /** A joined store has rows to write: the batch is written at the end of this turn. */
  touch(): void {
    if (!this.closed) this.schedule();
  }

  /**
   * Writes what is pending at once, then ends the checkpoint thread before the connection
   * closes (the last connection to close checkpoints and removes the WAL), then lets the
   * file go to another process.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.flush();
    this.closed = true;
    this.writeHealth.stop();
    this.closing = this.checkpointer.stop().finally(() => {
      this.db.close();
      this.lock.release();
    });
    return this.closing;
  }

  private schedule(): void {
    this.batch.schedule();
  }

  private tryRemovalsAlone(): void {
    if (this.pendingRemovals.length === 0 && this.pendingForgets.size === 0) return;
    try {
      this.writeRemovals();
      this.checkpointer.committed();
    } catch {
      this.options.counters.durable(
        'store-failed',
        this.pendingRemovals.length + this.pendingForgets.size,
      );
    }
  }

  private failed(error: Error, rows: number): void {
    this.options.counters.durable('store-failed', rows);
    this.writeHealth.failed(error.message);
  }
}

interface StoredGroupRow {
  name: string;
  rooms: string;
}

/** One process per file: a second hub on it would hand out the same events again. */
function takeLock(file: string): StoreLock {
  try {
    return StoreLock.take(file);
  } catch (error) {
    throw isLocked(error) ? inUse(file) : error;
  }
}

function inUse(file: string): StoreInUseError {
  return new StoreInUseError(
    `the store ${file} is in use by another process (another hub with the same HUB_ID and HUB_DATA_DIR?)`,
  );
}

function openOrMoveAside(options: SqliteStoreOptions): Database.Database {
  try {
    return openDatabase(options);
  } catch (error) {
    if (!isDamage(error)) throw error;
    const aside = moveAside(options.file);
    options.log.error(
      `the store ${options.file} is damaged (${(error as Error).message}); moved it to ${aside} and started an empty store`,
    );
    options.counters.durable('store-damaged');
    return openDatabase(options);
  }
}

function openDatabase(options: SqliteStoreOptions): Database.Database {
  // No waiting for a lock: the store's lock keeps other hubs away, and the checkpoint thread
  // never blocks this connection (PASSIVE).
  const db = new Database(options.file, { timeout: 0 });
  try {
    // Normal locking (the WAL index in `<file>-shm`), so the checkpoint thread can connect.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    if (options.maxBytes) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / pageSize))}`);
    }
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new DamagedStoreError(`quick_check: ${String(check)}`);
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function isLocked(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}

function isDamage(error: unknown): boolean {
  if (error instanceof DamagedStoreError) return true;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

function moveAside(file: string): string {
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  for (const suffix of ['-wal', '-shm'])
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  return aside;
}
