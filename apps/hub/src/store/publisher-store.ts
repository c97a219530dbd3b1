import { PublisherRecord } from '../confirms/publisher-book';

/**
 * The persistence of publish confirms: publisher → the highest sequence taken, so that a
 * resend after a restart of the hub is still recognised. Told by the confirms service only.
 */
export interface PublisherStore {
  /** Everything stored, read once at startup. */
  load(): PublisherRecord[];
  /**
   * The record changed. The store may write it later (with the values it has then), but in
   * the same write as the durable events routed before it.
   */
  save(record: PublisherRecord): void;
  forget(publisher: string): void;
  /** Resolves once what is pending now (this store's and the durable events) is written. */
  written(): Promise<void>;
}
