/** One event of a history room as the cluster's history stream holds it. */
export interface StreamHistoryEntry {
  /** The stream's sequence of the event: its offset (increasing, not contiguous per room). */
  seq: number;
  /** The frame as the hub it entered received it: never parsed. */
  frame: Buffer;
  /** When the stream stored it (ms since the epoch): its age bound runs from here. */
  at: number;
  /** The hub it entered, and the peer that sent it there (empty: none), so it skips its sender. */
  origin: string;
  sender: string;
}

interface RoomLog {
  latest: number;
  /** Oldest first, at most `size`. */
  entries: StreamHistoryEntry[];
  /** Every event of the room the stream ever held is (still) here. */
  complete: boolean;
}

/**
 * A hub's copy of the cluster's history stream, read in order from its start: per room the
 * last `size` events, as the stream keeps them. The offset of an event is its stream
 * sequence, so a room's offsets skip the other rooms' and a resume cannot count on `+1`:
 * whether the copy covers what a client missed is told by the event the client saw last.
 *
 * The stream trims a room oldest first (per room by count, then by age), so once the copy
 * holds the room's event at sequence p, it holds every later one it has read. What it may
 * not have read is a hole: a sequence skipped while reading (events removed before this hub
 * read them — on a rebuild, or after a lag). Until the copy has caught up with the stream,
 * a resume from before the latest hole is refused; once it has, every room it holds an old
 * event of lost nothing newer (a room's event is trimmed only after `size` newer ones,
 * which the copy now holds too, pushing the old one out; an expired one only after the older
 * ones expired).
 */
export class StreamHistoryReplica {
  private readonly rooms = new Map<string, RoomLog>();
  private lastSeq = 0;
  /** Resumes from before this sequence are refused (0: none), until the copy catches up. */
  private holeAt = 0;
  /** No hole was ever seen: the stream's first event was read, and all after it. */
  private fromStart = true;
  private everCaughtUp = false;

  constructor(private readonly size: number) {}

  /** The last stream sequence read (0: none). */
  get last(): number {
    return this.lastSeq;
  }

  /** The copy has caught up with the stream at least once since it was started or reset. */
  get ready(): boolean {
    return this.everCaughtUp;
  }

  /** The room's latest offset (kept once its events have expired); 0 when it has none. */
  latest(room: string): number {
    return this.rooms.get(room)?.latest ?? 0;
  }

  /**
   * Keeps the event read at `seq` of `room`; false for a sequence already read (a stream
   * read again from an earlier point).
   */
  add(room: string, entry: StreamHistoryEntry): boolean {
    const { seq } = entry;
    if (seq <= this.lastSeq) return false;
    if (seq !== this.lastSeq + 1) this.sawHole(seq);
    this.lastSeq = seq;
    let log = this.rooms.get(room);
    if (!log) this.rooms.set(room, (log = { latest: 0, entries: [], complete: this.fromStart }));
    log.latest = seq;
    log.entries.push(entry);
    if (log.entries.length > this.size) {
      log.entries.shift();
      log.complete = false;
    }
    return true;
  }

  /** The stream had nothing more to give when the last event was read. */
  caughtUp(): void {
    this.everCaughtUp = true;
    this.holeAt = 0;
  }

  /**
   * True when the copy holds every event of the room after offset `after` (that is, after
   * the client's last event), counting those at or after `notBefore` only.
   */
  covers(room: string, after: number, notBefore: number): boolean {
    if (this.holeAt !== 0 && after < this.holeAt) return false;
    const log = this.rooms.get(room);
    if (!log) return after === 0 && this.fromStart;
    if (after === log.latest) return true;
    if (after === 0) return log.complete && (log.entries[0]?.at ?? notBefore) >= notBefore;
    const entry = this.find(log, after);
    return entry !== undefined && entry.at >= notBefore;
  }

  /** The room's events after offset `after`, oldest first, those at or after `notBefore`. */
  read(room: string, after: number, notBefore: number): StreamHistoryEntry[] {
    const entries = this.rooms.get(room)?.entries ?? [];
    const out: StreamHistoryEntry[] = [];
    for (const entry of entries) if (entry.seq > after && entry.at >= notBefore) out.push(entry);
    return out;
  }

  /** Removes the events stored before `notBefore`. */
  sweep(notBefore: number): void {
    for (const log of this.rooms.values()) {
      let expired = 0;
      while (expired < log.entries.length && log.entries[expired].at < notBefore) expired++;
      if (expired === 0) continue;
      log.entries.splice(0, expired);
      log.complete = false;
    }
  }

  /** Forgets everything: the stream is another one (a new epoch). */
  reset(): void {
    this.rooms.clear();
    this.lastSeq = 0;
    this.holeAt = 0;
    this.fromStart = true;
    this.everCaughtUp = false;
  }

  private sawHole(seq: number): void {
    this.holeAt = seq;
    if (!this.fromStart) return;
    // What was skipped may have been any room's: none is known whole from its start any more.
    this.fromStart = false;
    for (const log of this.rooms.values()) log.complete = false;
  }

  /** The room's entry at `seq`, by binary search (entries are in sequence order). */
  private find(log: RoomLog, seq: number): StreamHistoryEntry | undefined {
    const { entries } = log;
    let low = 0;
    let high = entries.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const at = entries[mid].seq;
      if (at === seq) return entries[mid];
      if (at < seq) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }
}
