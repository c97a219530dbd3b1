/** A room's counter: changed in place, so counting an event of a known room allocates nothing. */
interface RoomCount {
  total: number;
  /** `total` at the last sample. */
  sampled: number;
  perSecond: number;
  /** Samples in a row that saw no event. */
  idleSamples: number;
}

export interface RoomRate {
  room: string;
  perSecond: number;
}

/** Rooms with no event for this many samples in a row leave the table. */
export const IDLE_SAMPLES = 30;

/**
 * Events per room, for every room events are published into, whether anyone subscribes or
 * not, in bounded memory: at most `capacity` rooms are tracked (each entry holds the room's
 * string, at most the room-length limit, and four numbers). Counting is one map lookup.
 * An event of a new room while the table is full is counted as untracked; the next sample
 * then evicts the slowest quarter, so a busy newcomer is tracked from the second after.
 * Rooms idle for {@link IDLE_SAMPLES} samples leave too.
 */
export class RoomRateTable {
  private readonly rooms = new Map<string, RoomCount>();
  private untracked = 0;
  private untrackedPerSecond = 0;

  constructor(readonly capacity: number) {}

  /** The hot path's part: one lookup, an increment; a new entry only while there is space. */
  count(room: string): void {
    const entry = this.rooms.get(room);
    if (entry !== undefined) entry.total++;
    else if (this.rooms.size < this.capacity)
      this.rooms.set(room, { total: 1, sampled: 0, perSecond: 0, idleSamples: 0 });
    else this.untracked++;
  }

  /** Takes the rates since the last sample, `seconds` ago, and makes space if rooms were turned away. */
  sample(seconds: number): void {
    for (const [room, entry] of this.rooms) {
      const delta = entry.total - entry.sampled;
      entry.sampled = entry.total;
      entry.perSecond = seconds > 0 ? delta / seconds : 0;
      entry.idleSamples = delta === 0 ? entry.idleSamples + 1 : 0;
      if (entry.idleSamples >= IDLE_SAMPLES) this.rooms.delete(room);
    }
    this.untrackedPerSecond = seconds > 0 ? this.untracked / seconds : 0;
    if (this.untracked > 0 && this.rooms.size >= this.capacity) this.evictSlowest();
    this.untracked = 0;
  }

  /** The `limit` busiest rooms of the last sample (rooms that had events only), busiest first. */
  top(limit: number): { rooms: RoomRate[]; untrackedPerSecond: number; tracked: number } {
    const rooms: RoomRate[] = [];
    for (const [room, entry] of this.rooms)
      if (entry.perSecond > 0) rooms.push({ room, perSecond: entry.perSecond });
    rooms.sort((a, b) => b.perSecond - a.perSecond || (a.room < b.room ? -1 : 1));
    return {
      rooms: rooms.slice(0, limit),
      untrackedPerSecond: this.untrackedPerSecond,
      tracked: this.rooms.size,
    };
  }

  private evictSlowest(): void {
    const slowest = [...this.rooms].sort((a, b) => a[1].perSecond - b[1].perSecond);
    const evict = Math.max(1, Math.floor(this.capacity / 4));
    for (const [room] of slowest.slice(0, evict)) this.rooms.delete(room);
  }
}
