import { Logger, Provider } from '@nestjs/common';
import { DURABLE_STORE } from './durable-store.provider';
import { DurableStore } from './durable-store';
import { MemoryPublisherStore } from './memory-publisher-store';
import { PublisherStore } from './publisher-store';
import { SqliteDurableStore } from './sqlite-durable-store';
import { SqlitePublisherStore } from './sqlite-publisher-store';

export const PUBLISHER_STORE = Symbol('PUBLISHER_STORE');

/** Publishers' taken counts go where the durable events go: the same SQLite file, or memory. */
export const publisherStoreProvider: Provider = {
  provide: PUBLISHER_STORE,
  inject: [DURABLE_STORE],
  useFactory: (events: DurableStore): PublisherStore => {
    if (!(events instanceof SqliteDurableStore)) return new MemoryPublisherStore();
    try {
      return new SqlitePublisherStore(events);
    } catch (error) {
      // A file that takes no new table (full, read-only): confirms work, for this process only.
      new Logger('PublisherStore').error(
        `cannot keep publishers in the store: ${(error as Error).message}; publish confirms are remembered in memory only`,
      );
      return new MemoryPublisherStore();
    }
  },
};
