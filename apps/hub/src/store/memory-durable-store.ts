import {
  DurableStore,
  NewStoredEvent,
  StoreContents,
  StoredEvent,
  StoredGroup,
  StoreHealth,
} from './durable-store';

/**
 * A store that lives as long as the process: `HUB_STORE=memory`, for ephemeral hubs and
 * tests. Nothing survives a restart of the hub; a new hub given the same instance (tests)
 * loads what it holds.
 */
export class MemoryDurableStore implements DurableStore {
  readonly health: StoreHealth;
  private readonly events = new Map<number, StoredEvent>();
  private readonly groups = new Map<string, string[]>();
  private lastId = 0;

  /** `unavailable`: why the configured store could not be opened (this one stands in for it). */
  constructor(unavailable?: string) {
    this.health = unavailable ? { writable: false, error: unavailable } : { writable: true };
  }

  load(): StoreContents {
    return {
      groups: [...this.groups].map(([name, rooms]) => ({ name, rooms: [...rooms] })),
      events: [...this.events.values()],
    };
  }

  append(event: NewStoredEvent): number {
    const id = ++this.lastId;
    this.events.set(id, { id, ...event });
    return id;
  }

  remove(id: number): void {
    this.events.delete(id);
  }

  saveGroup(group: StoredGroup): void {
    this.groups.set(group.name, [...group.rooms]);
  }

  forgetGroup(name: string): void {
    this.groups.delete(name);
    for (const [id, event] of this.events) if (event.group === name) this.events.delete(id);
  }

  flush(): void {}

  written(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
