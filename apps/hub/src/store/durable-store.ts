/** An event a durable group has not seen acknowledged: kept for a member, or delivered to one. */
export interface StoredEvent {
  /** Assigned by the store, increasing: the order events are handed out again after a restart. */
  id: number;
  group: string;
  /** The group's room that matched: the event's room, or `*`. */
  heldRoom: string;
  room: string;
  frame: Buffer;
  /** When the hub first kept it (ms since the epoch): its age bound runs from here. */
  keptAt: number;
}

export type NewStoredEvent = Omit<StoredEvent, 'id'>;

/** A durable group and the rooms it holds, so it exists again, memberless, after a restart. */
export interface StoredGroup {
  name: string;
  rooms: string[];
}

export interface StoreContents {
  groups: StoredGroup[];
  /** Oldest first. */
  events: StoredEvent[];
}

/** Whether the store can write now; when it cannot, events are still routed and held in memory. */
export interface StoreHealth {
  writable: boolean;
  /** The last write error, while writes fail. */
  error?: string;
}

/** What a store counts: rows written, rows it failed to write (by kind). */
export interface StoreCounters {
  durable(what: string, count?: number): void;
}

/**
 * The persistence of durable delivery: what durable groups hold and have not seen
 * acknowledged. It keeps exactly what durable delivery keeps (its bounds are durable
 * delivery's: what that drops is removed here), and never decides anything itself.
 * Writes may be deferred and batched; `flush` makes them durable now.
 */
export interface DurableStore {
  /** Everything stored, read once at startup. */
  load(): StoreContents;
  /** Stores an event; returns its id. */
  append(event: NewStoredEvent): number;
  /** An event was acknowledged or dropped. */
  remove(id: number): void;
  /** A durable group holds these rooms (all of them, not only new ones). */
  saveGroup(group: StoredGroup): void;
  /** A durable group was forgotten: it and its events go. */
  forgetGroup(name: string): void;
  readonly health: StoreHealth;
  /** Writes what is pending now. */
  flush(): void;
  /** Resolves once what is pending now has been written (or has failed to be). */
  written(): Promise<void>;
  /** Flushes at once and releases the store; later changes are ignored. */
  close(): Promise<void>;
}
