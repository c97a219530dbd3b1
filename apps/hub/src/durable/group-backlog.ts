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
}

/**
 * The events one group keeps while no member can take them, oldest first, bounded by
 * count and bytes: beyond either bound the oldest go. Grows as it fills (nothing is
 * allocated for a group that keeps nothing).
 */
export class GroupBacklog {
  private events: KeptEvent[] = [];
  private head = 0;
  private byteCount = 0;

  constructor(
    private readonly limits: BacklogLimits,
    /** Told of every event a bound drops (the store forgets it). */
    private readonly onDrop: (event: KeptEvent) => void = () => {},
  ) {}

  get size(): number {
    return this.events.length - this.head;
  }

  get bytes(): number {
    return this.byteCount;
  }

  /** Adds an event; returns how many of the oldest were dropped to stay within the bounds. */
  push(event: KeptEvent): number {
    if (event.frame.length > this.limits.maxBytes || this.limits.maxEvents === 0) {
      this.onDrop(event);
      return 1;
    }
    this.events.push(event);
    this.byteCount += event.frame.length;
    let dropped = 0;
    while (this.size > this.limits.maxEvents || this.byteCount > this.limits.maxBytes) {
      this.shift();
      dropped++;
    }
    return dropped;
  }

  /** Drops events kept before `oldest`; returns how many. */
  expire(oldest: number): number {
    let dropped = 0;
    while (this.size > 0 && this.events[this.head].keptAt < oldest) {
      this.shift();
      dropped++;
    }
    return dropped;
  }

  /**
   * Offers each event, oldest first, to `deliver`; what it takes leaves the backlog, in
   * order. Stops at the first event `deliver` answers 'stop' for (no member can take more).
   */
  drain(deliver: (event: KeptEvent) => 'taken' | 'kept' | 'stop'): number {
    const kept: KeptEvent[] = [];
    let taken = 0;
    let index = this.head;
    for (; index < this.events.length; index++) {
      const event = this.events[index];
      const outcome = deliver(event);
      if (outcome === 'stop') break;
      if (outcome === 'kept') kept.push(event);
      else {
        taken++;
        this.byteCount -= event.frame.length;
      }
    }
    if (taken > 0) {
      this.events = kept.concat(this.events.slice(index));
      this.head = 0;
    }
    return taken;
  }

  /** Empties the backlog; returns what it held, oldest first. */
  clear(): KeptEvent[] {
    const held = this.events.slice(this.head);
    this.events = [];
    this.head = 0;
    this.byteCount = 0;
    return held;
  }

  private shift(): void {
    const event = this.events[this.head];
    this.onDrop(event);
    this.events[this.head++] = undefined as unknown as KeptEvent;
    this.byteCount -= event.frame.length;
    // Compact now and then, so the array does not keep the dead head forever.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }
}
