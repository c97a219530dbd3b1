/** What the checkpoint thread is given when it starts. */
export interface WalCheckpointWorkerData {
  /** The store's database file. */
  file: string;
  /** The resolved path of better-sqlite3, so the thread loads the same driver as the hub. */
  driver: string;
  /** The main connection's `synchronous`: a checkpoint syncs the database file as it would. */
  synchronous: 'NORMAL' | 'FULL';
  /** Least time between two checkpoints, so a steady flow of writes costs a few per second. */
  intervalMs: number;
  /** Most checkpoints run back to back to catch up with what was committed meanwhile. */
  rounds: number;
  /** Told of no commit for this long, the thread checkpoints a last time and ends. */
  idleMs: number;
}

/** What the thread answers after each checkpoint (SQLite's `wal_checkpoint` row). */
export interface WalCheckpointResult {
  /** 1 when the checkpoint could not run to the end (never waits: PASSIVE). */
  busy: number;
  /** Frames in the WAL. */
  log: number;
  /** Frames of them now in the database file. */
  checkpointed: number;
}

/**
 * The checkpoint thread's script, run as an `eval` Worker. It is a string rather than a file
 * of its own because the hub is one webpack bundle (`nest build`): a separate script would need
 * a build entry of its own and a path that differs between dist, the e2e tests and ts-jest,
 * while a string is shipped inside the bundle and runs the same everywhere. It loads the driver
 * from the path the hub resolved (an eval'd script would otherwise resolve it from the cwd).
 *
 * Each message from the store means "the WAL has grown": the thread checkpoints (PASSIVE,
 * which never blocks the store's writer) at most once per `intervalMs`, and answers with
 * SQLite's counts. The WAL is only written from its start again (so its file stops growing)
 * once a checkpoint has copied every frame: frames the store commits while one runs are left
 * for the next, so a checkpoint is followed by short ones, up to `rounds` in all, until one
 * finds nothing new. Messages that come while one is due add nothing. Told of no commit for
 * `idleMs`, the thread checkpoints what came after its last checkpoint, closes its connection,
 * says `'idle'` and ends: an idle store keeps no thread. The store ends it otherwise with
 * `terminate()`: better-sqlite3 closes the thread's connection as it goes.
 */
export const WAL_CHECKPOINT_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
db.pragma('synchronous = ' + workerData.synchronous);
let last = 0;
let due = false;
let idle;
function checkpoint() {
  due = false;
  last = Date.now();
  let result = db.pragma('wal_checkpoint(PASSIVE)')[0];
  for (let round = 1; round < workerData.rounds; round++) {
    const again = db.pragma('wal_checkpoint(PASSIVE)')[0];
    const caughtUp = again.log === result.log;
    result = again;
    if (caughtUp) break;
  }
  parentPort.postMessage(result);
}
function end() {
  checkpoint();
  db.close();
  parentPort.postMessage('idle');
  parentPort.close();
}
parentPort.on('message', () => {
  clearTimeout(idle);
  idle = setTimeout(end, workerData.idleMs);
  if (due) return;
  due = true;
  setTimeout(checkpoint, Math.max(0, last + workerData.intervalMs - Date.now()));
});
`;
