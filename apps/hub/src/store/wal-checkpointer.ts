import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { StoreCounters } from './durable-store';
import {
  WAL_CHECKPOINT_WORKER_SOURCE,
  WalCheckpointResult,
  WalCheckpointWorkerData,
} from './wal-checkpoint-worker';

export interface WalCheckpointerOptions {
  /** The store's database file; its WAL is `<file>-wal`. */
  file: string;
  sync: 'normal' | 'full';
  /** The WAL never stays larger: beyond it, the store's own connection checkpoints. */
  maxWalBytes: number;
  /** The thread ends after this long without a commit (started again at the next). */
  idleMs?: number;
  counters: StoreCounters;
  log: { error(message: string): void; warn(message: string): void };
}

/** Often enough to keep the WAL to a few MiB at thousands of events/s, rarely enough to be cheap. */
const CHECKPOINT_INTERVAL_MS = 100;
const CATCH_UP_ROUNDS = 4;
/** Long enough that a store written now and then keeps its thread, short enough to idle. */
const DEFAULT_IDLE_MS = 30_000;
/** Threads started again after a crash; beyond that the store checkpoints on its own for good. */
const MAX_RESTARTS = 3;
/**
 * Commits between two looks at the WAL's size: a `stat` of a file the thread is reading costs
 * the commit more than the call itself (measured: 20 µs on a 120 µs commit), and the bound
 * is there for a thread that fell behind, so it need not be exact to the commit.
 */
const BOUND_CHECK_EVERY = 16;
/** SQLite's default, what the store's connection does while no thread checkpoints for it. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/**
 * Owns the WAL's checkpoints. SQLite's automatic checkpoint runs on the connection that
 * commits, so on the event loop: it copies the WAL into the database file and syncs it, which
 * stalls the hub for milliseconds. Here the store's connection never checkpoints by itself
 * (`wal_autocheckpoint = 0`); a thread with a second connection to the file does it, started
 * at the store's first write (an idle hub has no such thread), told of each commit, pacing
 * itself, and ending once the store has been idle a while (started again at the next write).
 * Two bounds hold whatever the thread does: a WAL file found over `maxWalBytes` (looked at
 * every `BOUND_CHECK_EVERY` commits) is checkpointed on the store's connection at once
 * (counted `wal-checkpoint-inline`), and while no thread runs (it crashed: logged, counted
 * `checkpointer-failed`, started again at the next write up to `MAX_RESTARTS` times)
 * SQLite's own automatic checkpoint is back on.
 */
export class WalCheckpointer {
  private worker?: Worker;
  /** A checkpoint was asked for and has not been answered yet: commits need not ask again. */
  private asked = false;
  private crashes = 0;
  private stopped = false;
  private commits = 0;
  private readonly wal: string;

  constructor(
    private readonly db: Database.Database,
    private readonly options: WalCheckpointerOptions,
  ) {
    this.wal = `${options.file}-wal`;
    db.pragma('wal_autocheckpoint = 0');
    // The WAL is written from its start again after a complete checkpoint; its file is then
    // cut back to this, so its size tells how far it grew since (what the bound looks at).
    db.pragma(`journal_size_limit = ${Math.floor(options.maxWalBytes / 2)}`);
  }

  /** The store's connection committed a transaction. */
  committed(): void {
    if (this.stopped) return;
    const worker = this.worker ?? this.start();
    if (worker && !this.asked) {
      this.asked = true;
      worker.postMessage(0);
    }
    if (++this.commits % BOUND_CHECK_EVERY === 0) this.holdBound();
  }

  /** Ends the thread (and its connection) before the store's connection closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  /** The running thread, for tests that make it crash. */
  get thread(): Worker | undefined {
    return this.worker;
  }

  private start(): Worker | undefined {
    if (this.crashes > MAX_RESTARTS) return undefined;
    const workerData: WalCheckpointWorkerData = {
      file: this.options.file,
      driver: createRequire(__filename).resolve('better-sqlite3'),
      synchronous: this.options.sync === 'full' ? 'FULL' : 'NORMAL',
      intervalMs: CHECKPOINT_INTERVAL_MS,
      rounds: CATCH_UP_ROUNDS,
      idleMs: this.options.idleMs ?? DEFAULT_IDLE_MS,
    };
    let worker: Worker;
    try {
      worker = new Worker(WAL_CHECKPOINT_WORKER_SOURCE, { eval: true, workerData });
    } catch (error) {
      this.crashed((error as Error).message);
      return undefined;
    }
    // Never what keeps a hub (or a test run) alive: the store ends it, the process may too.
    worker.unref();
    // The exit code does not tell an idle end from a crash (a thread ended before it ran says
    // 0 too): the thread says so first.
    let idle = false;
    worker.on('message', (message: WalCheckpointResult | 'idle') => {
      if (message === 'idle') idle = true;
      if (this.worker === worker) this.asked = false;
    });
    worker.on('error', (error) => {
      if (this.worker === worker) this.crashed(error.message);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      if (idle) this.ended();
      else this.crashed(`exited with code ${code}`);
    });
    this.worker = worker;
    this.asked = false;
    this.db.pragma('wal_autocheckpoint = 0');
    return worker;
  }

  /** The thread ended, idle: the next commit starts another. */
  private ended(): void {
    this.worker = undefined;
    this.asked = false;
  }

  private crashed(reason: string): void {
    this.worker = undefined;
    this.asked = false;
    this.crashes++;
    this.options.counters.durable('checkpointer-failed');
    const next =
      this.crashes > MAX_RESTARTS ? 'from now on' : 'until it is started again at the next write';
    this.options.log.error(
      `the WAL checkpoint thread of ${this.options.file} stopped (${reason}); SQLite checkpoints on the event loop ${next}`,
    );
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  }

  /**
   * The WAL's file stops growing only when a checkpoint catches up with the writes; if the
   * thread cannot (too slow, stuck, gone), the store's connection checkpoints and empties it.
   * TRUNCATE answers busy at once, without waiting, while the thread is in a checkpoint.
   */
  private holdBound(): void {
    const size = statSync(this.wal, { throwIfNoEntry: false })?.size ?? 0;
    if (size <= this.options.maxWalBytes) return;
    try {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as WalCheckpointResult[];
      if (result.busy === 0) this.options.counters.durable('wal-checkpoint-inline');
    } catch {
      // A full disk, say: the store's writes report it; the next commit tries again.
      this.options.counters.durable('wal-checkpoint-failed');
    }
  }
}
