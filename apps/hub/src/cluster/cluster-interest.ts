/** One NATS subscription of the hub: a subject, in a queue group or not. */
export interface ClusterSubscriptionKey {
  readonly subject: string;
  /** The queue group; undefined for a plain subscription (every hub that holds it gets each event). */
  readonly queue?: string;
}

export interface InterestChanges {
  subscribe(key: ClusterSubscriptionKey): void;
  unsubscribe(key: ClusterSubscriptionKey): void;
}

/**
 * What this hub must hold on NATS, reference counted: a subscription is made when its
 * first holder comes (a room's first local subscriber, a group's first room that maps to
 * it) and dropped when the last goes. Pure: the changes are told to `changes`, which owns
 * the sockets.
 */
export class ClusterInterest {
  private readonly holders = new Map<string, { key: ClusterSubscriptionKey; count: number }>();
  private groupKeys: readonly ClusterSubscriptionKey[] = [];

  constructor(private readonly changes: InterestChanges) {}

  hold(key: ClusterSubscriptionKey): void {
    const id = idOf(key);
    const entry = this.holders.get(id);
    if (entry) {
      entry.count++;
      return;
    }
    this.holders.set(id, { key, count: 1 });
    this.changes.subscribe(key);
  }

  release(key: ClusterSubscriptionKey): void {
    const id = idOf(key);
    const entry = this.holders.get(id);
    if (!entry) return;
    if (--entry.count > 0) return;
    this.holders.delete(id);
    this.changes.unsubscribe(entry.key);
  }

  /**
   * The groups' subscriptions as they are now, replacing the previous set: new ones are held
   * before old ones are released, so one that stays is never dropped and made again.
   */
  replaceGroups(keys: readonly ClusterSubscriptionKey[]): void {
    for (const key of keys) this.hold(key);
    for (const key of this.groupKeys) this.release(key);
    this.groupKeys = keys;
  }

  holds(key: ClusterSubscriptionKey): boolean {
    return this.holders.has(idOf(key));
  }

  /** How many holders a subscription has (0: not held). */
  countOf(key: ClusterSubscriptionKey): number {
    return this.holders.get(idOf(key))?.count ?? 0;
  }

  /** Every subscription held now: what a new connection must make. */
  get keys(): ClusterSubscriptionKey[] {
    return [...this.holders.values()].map((entry) => entry.key);
  }

  get size(): number {
    return this.holders.size;
  }
}

/** Subjects and queue names hold no whitespace, so a space separates them unambiguously. */
function idOf(key: ClusterSubscriptionKey): string {
  return key.queue === undefined ? key.subject : `${key.subject} ${key.queue}`;
}
