/** An event kept for a group: the room it was routed under, its own room, its frame. */
export interface KeptEvent {
  /** The group's room that matched: the event's room, or `*`. */
  heldRoom: string;
  room: string;
  frame: Buffer;
  keptAt: number;
  /** Its id in the durable store; 0 when it is not stored (the repeaters' events). */
  storeId: number;
}

export interface BacklogLimits {
  maxEvents: number;
  maxBytes: number;
  /** Bounds of the events of any one room (the event's own room) within the backlog. */
  perRoom?: { maxEvents: number; maxBytes: number };
}

/** Why a bound dropped events: the group's whole backlog, or one room's share of it, was full. */
export interface BacklogDrops {
  full: number;
  roomFull: number;
}

/** An event in the backlog; `live` goes false once it has left, whichever way. */
interface Entry {
  readonly event: KeptEvent;
  live: boolean;
}

/**
 * Entries oldest first, counted and weighed while live. An entry may leave from anywhere
 * (its owner marks it dead and calls `forget`): dead entries are skipped, and compacted
 * away once they are half of what the array holds, so every operation is amortized O(1).
 */
class EntryQueue {
  private entries: Entry[] = [];
  private head = 0;
  private iterating = 0;
  count = 0;
  bytes = 0;

  add(entry: Entry): void {
    this.entries.push(entry);
    this.count++;
    this.bytes += entry.event.frame.length;
  }

  /** A live entry of this queue was marked dead. */
  forget(entry: Entry): void {
    this.count--;
    this.bytes -= entry.event.frame.length;
    this.compactIfSparse();
  }

  oldest(): Entry | undefined {
    if (this.count === 0) return undefined;
    while (!this.entries[this.head].live) this.head++;
    return this.entries[this.head];
  }

  /** Live entries, oldest first; entries may be forgotten meanwhile (nothing moves until the end). */
  *live(): Generator<Entry> {
    this.iterating++;
    try {
      for (let index = this.head; index < this.entries.length; index++)
        if (this.entries[index].live) yield this.entries[index];
    } finally {
      this.iterating--;
      this.compactIfSparse();
    }
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
  }

  private compactIfSparse(): void {
    const held = this.entries.length - this.head;
    if (this.iterating > 0 || held < 64 || this.count * 2 > held) return;
    this.entries = this.entries.filter((entry, index) => index >= this.head && entry.live);
    this.head = 0;
  }
}

/**
 * The events one group keeps while no member can take them, oldest first, bounded by count
 * and bytes — the whole backlog, and optionally each room's share of it, so one busy room
 * cannot take a group's whole backlog: beyond a room's bound that room's oldest go, beyond the
 * group's the oldest of all. Grows as it fills (nothing is allocated for a group that keeps
 * nothing).
 */
export class GroupBacklog {
  private readonly all = new EntryQueue();
  private readonly byRoom = new Map<string, EntryQueue>();

  constructor(
    private readonly limits: BacklogLimits,
    /** Told of every event a bound drops (the store forgets it). */
    private readonly onDrop: (event: KeptEvent) => void = () => {},
  ) {}

  get size(): number {
    return this.all.count;
  }

  get bytes(): number {
    return this.all.bytes;
  }

  /** Events and bytes kept of one room. */
  roomSize(room: string): { events: number; bytes: number } {
    const queue = this.byRoom.get(room);
    return { events: queue?.count ?? 0, bytes: queue?.bytes ?? 0 };
  }

  /** Adds an event; returns how many were dropped to stay within each kind of bound. */
  push(event: KeptEvent): BacklogDrops {
    const drops = { full: 0, roomFull: 0 };
    const room = this.limits.perRoom;
    if (room && (event.frame.length > room.maxBytes || room.maxEvents === 0)) {
      this.onDrop(event);
      drops.roomFull++;
      return drops;
    }
    if (event.frame.length > this.limits.maxBytes || this.limits.maxEvents === 0) {
      this.onDrop(event);
      drops.full++;
      return drops;
    }
    const entry: Entry = { event, live: true };
    this.all.add(entry);
    const ofRoom = this.roomQueue(event.room);
    ofRoom.add(entry);
    while (room && (ofRoom.count > room.maxEvents || ofRoom.bytes > room.maxBytes)) {
      this.drop(ofRoom.oldest()!);
      drops.roomFull++;
    }
    while (this.all.count > this.limits.maxEvents || this.all.bytes > this.limits.maxBytes) {
      this.drop(this.all.oldest()!);
      drops.full++;
    }
    return drops;
  }

  /** Drops events kept before `oldest`; returns how many. */
  expire(oldest: number): number {
    let dropped = 0;
    for (let entry = this.all.oldest(); entry && entry.event.keptAt < oldest;) {
      this.drop(entry);
      dropped++;
      entry = this.all.oldest();
    }
    return dropped;
  }

  /**
   * Offers each event, oldest first, to `deliver`; what it takes leaves the backlog, in
   * order. Stops at the first event `deliver` answers 'stop' for (no member can take more).
   */
  drain(deliver: (event: KeptEvent) => 'taken' | 'kept' | 'stop'): number {
    let taken = 0;
    for (const entry of this.all.live()) {
      const outcome = deliver(entry.event);
      if (outcome === 'stop') break;
      if (outcome === 'taken') {
        this.leave(entry);
        taken++;
      }
    }
    return taken;
  }

  /** Empties the backlog; returns what it held, oldest first. */
  clear(): KeptEvent[] {
    const held = [...this.all.live()].map((entry) => entry.event);
    this.all.clear();
    this.byRoom.clear();
    return held;
  }

  private roomQueue(room: string): EntryQueue {
    let queue = this.byRoom.get(room);
    if (!queue) this.byRoom.set(room, (queue = new EntryQueue()));
    return queue;
  }

  private drop(entry: Entry): void {
    this.leave(entry);
    this.onDrop(entry.event);
  }

  /** The entry leaves the backlog; a room with nothing kept any more is forgotten. */
  private leave(entry: Entry): void {
    entry.live = false;
    this.all.forget(entry);
    const room = entry.event.room;
    const ofRoom = this.byRoom.get(room)!;
    ofRoom.forget(entry);
    if (ofRoom.count === 0) this.byRoom.delete(room);
  }
}
