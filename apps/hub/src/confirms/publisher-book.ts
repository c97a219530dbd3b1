/** What the hub remembers of a publisher that asked for confirms. */
export interface PublisherRecord {
  readonly publisher: string;
  /** The highest sequence of the publisher the hub has settled (taken, or refused and reported). */
  taken: number;
  /** When the hub last heard of it (ms since the epoch): the window runs from here. */
  heardAt: number;
}

export interface PublisherBookOptions {
  /** A publisher not heard of for this long is forgotten: its resends are taken again. */
  windowMs: number;
  /** At most this many publishers are remembered; beyond it, the longest silent is forgotten. */
  maxPublishers: number;
}

/**
 * Publisher → the highest sequence taken, for the publishers heard of within the window,
 * least recently heard first (a Map keeps insertion order, so both the window and the bound
 * forget from the front). Pure: the caller stores what it reports as changed or forgotten.
 */
export class PublisherBook {
  private readonly records = new Map<string, PublisherRecord>();

  constructor(private readonly options: PublisherBookOptions) {}

  get size(): number {
    return this.records.size;
  }

  /** At startup, what the store kept; returns the publishers it no longer remembers. */
  restore(records: readonly PublisherRecord[], now: number): string[] {
    const forgotten: string[] = [];
    const byAge = [...records].sort((a, b) => a.heardAt - b.heardAt);
    for (const record of byAge) {
      if (this.expired(record, now)) forgotten.push(record.publisher);
      else this.records.set(record.publisher, { ...record });
    }
    return [...forgotten, ...this.evictBeyondBound()];
  }

  /**
   * The record of a publisher that opens confirms now: the one remembered, or a fresh one
   * (taken 0) when it is unknown or was last heard of longer than the window ago.
   */
  open(publisher: string, now: number): { record: PublisherRecord; forgotten: string[] } {
    const known = this.records.get(publisher);
    const record =
      known && !this.expired(known, now) ? known : { publisher, taken: 0, heardAt: now };
    return { record, forgotten: this.heard(record, now) };
  }

  /**
   * The publisher was heard of now: it becomes the most recent (and is remembered again if
   * the bound or the window had let it go while its connection was open). Returns the
   * publishers forgotten to respect the bound.
   */
  heard(record: PublisherRecord, now: number): string[] {
    record.heardAt = now;
    this.records.delete(record.publisher);
    this.records.set(record.publisher, record);
    return this.evictBeyondBound();
  }

  /** Forgets the publishers not heard of within the window; returns them. */
  expire(now: number): string[] {
    const forgotten: string[] = [];
    for (const record of this.records.values()) {
      if (!this.expired(record, now)) break;
      forgotten.push(record.publisher);
    }
    for (const publisher of forgotten) this.records.delete(publisher);
    return forgotten;
  }

  takenOf(publisher: string, now: number): number {
    const record = this.records.get(publisher);
    return record && !this.expired(record, now) ? record.taken : 0;
  }

  private expired(record: PublisherRecord, now: number): boolean {
    return now - record.heardAt >= this.options.windowMs;
  }

  private evictBeyondBound(): string[] {
    const forgotten: string[] = [];
    for (const publisher of this.records.keys()) {
      if (this.records.size - forgotten.length <= this.options.maxPublishers) break;
      forgotten.push(publisher);
    }
    for (const publisher of forgotten) this.records.delete(publisher);
    return forgotten;
  }
}
