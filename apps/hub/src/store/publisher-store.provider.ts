import { Provider } from '@nestjs/common';
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
  useFactory: (events: DurableStore): PublisherStore =>
    events instanceof SqliteDurableStore
      ? new SqlitePublisherStore(events)
      : new MemoryPublisherStore(),
};
