import { HistoryRow, HistoryStore, newEpoch } from './history-store';

interface RoomLog {
  latest: number;
  /** Oldest first, at most `size`. */
  rows: HistoryRow[];
}

/** History in memory: gone with the process, so each start has a fresh epoch. */
export class MemoryHistoryStore implements HistoryStore {
  readonly epoch = newEpoch();
  private readonly rooms = new Map<string, RoomLog>();
  private closed = false;

  constructor(private readonly size: number) {}

  latest(room: string): number {
    return this.rooms.get(room)?.latest ?? 0;
  }

  append(room: string, frame: Buffer, at: number): number {
    let log = this.rooms.get(room);
    if (!log) this.rooms.set(room, (log = { latest: 0, rows: [] }));
    const offset = ++log.latest;
    if (this.closed) return offset;
    log.rows.push({ room, offset, frame, at });
    if (log.rows.length > this.size) log.rows.shift();
    return offset;
  }

  read(room: string, after: number, notBefore: number, limit: number): HistoryRow[] {
    const rows = this.rooms.get(room)?.rows ?? [];
    const out: HistoryRow[] = [];
    for (const row of rows) {
      if (out.length >= limit) break;
      if (row.offset > after && row.at >= notBefore) out.push(row);
    }
    return out;
  }

  sweep(notBefore: number): void {
    for (const log of this.rooms.values()) {
      let expired = 0;
      while (expired < log.rows.length && log.rows[expired].at < notBefore) expired++;
      if (expired > 0) log.rows.splice(0, expired);
    }
  }

  flush(): void {}

  written(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.closed = true;
  }
}
