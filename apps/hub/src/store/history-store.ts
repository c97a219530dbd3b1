import { randomBytes } from 'node:crypto';

/** One kept event of a history room. */
export interface HistoryRow {
  room: string;
  /** The room's offset of the event: 1-based, one more per event of the room. */
  offset: number;
  /** The frame as the hub received it: never parsed. */
  frame: Buffer;
  /** When the hub kept it (ms since the epoch): its age bound runs from here. */
  at: number;
}

/**
 * The events of history rooms, for clients that resume after a reconnect. It assigns each
 * event its room's next offset and keeps each room's last `size` events; the epoch is made
 * once with the store (a store that starts empty has a new one), so a position from another
 * store, or from before a store was lost, is never taken for one of this store's.
 * Writes may be deferred and batched; `read` sees them at once.
 */
export interface HistoryStore {
  readonly epoch: string;
  /** The room's latest offset; 0 when it has none. */
  latest(room: string): number;
  /** Keeps an event; returns its offset. */
  append(room: string, frame: Buffer, at: number): number;
  /**
   * The room's kept events after offset `after`, oldest first, those kept at `notBefore` or
   * later, at most `limit`; what waits to be written is included.
   */
  read(room: string, after: number, notBefore: number, limit: number): HistoryRow[];
  /** Removes the events kept before `notBefore`. */
  sweep(notBefore: number): void;
  /** Writes what is pending now. */
  flush(): void;
  /** Resolves once what is pending now has been written (or has failed to be). */
  written(): Promise<void>;
  /** Flushes; later changes are ignored. */
  close(): void;
}

/** A short epoch: 8 characters of A-Z a-z 0-9 - _. */
export function newEpoch(): string {
  return randomBytes(6).toString('base64url');
}
