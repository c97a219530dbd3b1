import { PublisherRecord } from '../confirms/publisher-book';
import { PublisherStore } from './publisher-store';

/** `HUB_STORE=memory`: nothing survives the process; a hub given the same instance (tests) loads it. */
export class MemoryPublisherStore implements PublisherStore {
  private readonly records = new Map<string, PublisherRecord>();

  load(): PublisherRecord[] {
    return [...this.records.values()].map((record) => ({ ...record }));
  }

  save(record: PublisherRecord): void {
    this.records.set(record.publisher, record);
  }

  forget(publisher: string): void {
    this.records.delete(publisher);
  }

  written(): Promise<void> {
    return Promise.resolve();
  }
}
