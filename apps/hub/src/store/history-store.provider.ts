import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { HubCounters } from '../status/hub-counters';
import { DURABLE_STORE } from './durable-store.provider';
import { DurableStore } from './durable-store';
import { HistoryStore } from './history-store';
import { MemoryHistoryStore } from './memory-history-store';
import { SqliteDurableStore } from './sqlite-durable-store';
import { SqliteHistoryStore } from './sqlite-history-store';

export const HISTORY_STORE = Symbol('HISTORY_STORE');

/**
 * History lives where durable groups do: in the SQLite file when the hub has one (so it
 * survives a restart), else in memory. A hub without history rooms never touches the file,
 * nor does one in cluster mode.
 */
export const historyStoreProvider: Provider = {
  provide: HISTORY_STORE,
  inject: [HUB_CONFIG, DURABLE_STORE, HubCounters],
  useFactory: (config: HubConfig, durable: DurableStore, counters: HubCounters): HistoryStore => {
    const { rooms, size } = config.history;
    // In cluster mode history is the cluster's stream: nothing of it is kept in the file.
    if (rooms.length === 0 || config.cluster || !(durable instanceof SqliteDurableStore))
      return new MemoryHistoryStore(size);
    const log = new Logger('HistoryStore');
    try {
      return SqliteHistoryStore.open(durable.database, {
        size,
        log,
        failed: (rows) => counters.durable('history-store-failed', rows),
        committed: () => durable.committedElsewhere(),
      });
    } catch (error) {
      log.error(`cannot keep history in the store: ${(error as Error).message}; kept in memory`);
      return new MemoryHistoryStore(size);
    }
  },
};

/**
 * Writes what is pending before the durable store closes the file they share: listed
 * before `DurableStoreCloser`, whose hook runs after this one.
 */
@Injectable()
export class HistoryStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(HISTORY_STORE) private readonly store: HistoryStore) {}

  onApplicationShutdown(): void {
    this.store.close();
  }
}
