import { mkdirSync } from 'node:fs';
import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { HubCounters } from '../status/hub-counters';
import { DurableStore } from './durable-store';
import { MemoryDurableStore } from './memory-durable-store';
import { SqliteDurableStore, StoreInUseError } from './sqlite-durable-store';

export const DURABLE_STORE = Symbol('DURABLE_STORE');

/** The store `HUB_STORE` names: SQLite in `HUB_DATA_DIR` (created here), or memory. */
export const durableStoreProvider: Provider = {
  provide: DURABLE_STORE,
  inject: [HUB_CONFIG, HubCounters],
  useFactory: (config: HubConfig, counters: HubCounters): DurableStore => {
    if (config.store.kind === 'memory') return new MemoryDurableStore();
    const log = new Logger('DurableStore');
    let store: DurableStore;
    try {
      mkdirSync(config.store.dataDir, { recursive: true });
      store = SqliteDurableStore.open({
        file: config.store.file,
        sync: config.store.sync,
        maxBytes: config.store.maxBytes,
        maxWalBytes: config.store.maxWalBytes,
        counters,
        log,
      });
    } catch (error) {
      if (error instanceof StoreInUseError) throw error;
      // A data directory that cannot be written (read-only or full disk): route anyway.
      const message = `cannot open the store ${config.store.file}: ${(error as Error).message}`;
      log.error(`${message}; durable groups are held in memory only`);
      counters.durable('store-failed');
      return new MemoryDurableStore(message);
    }
    log.log(`durable groups are stored in ${config.store.file} (synchronous=${config.store.sync})`);
    return store;
  },
};

/** Writes what is pending and closes the store once the hub has stopped routing. */
@Injectable()
export class DurableStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(DURABLE_STORE) private readonly store: DurableStore) {}

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}
