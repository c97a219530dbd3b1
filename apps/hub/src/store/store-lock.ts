import Database from 'better-sqlite3';

/**
 * What keeps a store's file to one process. The store's own connection cannot: the WAL
 * checkpoints run on a second connection (see `WalCheckpointer`), which SQLite's
 * `locking_mode = EXCLUSIVE` on the store would refuse. So each store also holds
 * `<file>.lock`, an empty database in that mode with one exclusive transaction: SQLite keeps
 * the lock after it until the connection closes, or the process dies (it is the operating
 * system's lock), and another opener, in this process or another, gets SQLITE_BUSY at once
 * (no busy timeout). The lock file holds no data: a damaged store is moved aside without it.
 */
export class StoreLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock, or throws SQLITE_BUSY when another connection holds it. */
  static take(file: string): StoreLock {
    const db = new Database(`${file}.lock`, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE; COMMIT');
      return new StoreLock(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  release(): void {
    if (this.db.open) this.db.close();
  }
}
