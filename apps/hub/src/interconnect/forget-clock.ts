/**
 * Time-based memory of the mesh, kept apart from the clock so it is unit-tested without
 * one: how long each learned link has been down without a break, and which addresses or
 * hub ids this hub must not learn again until a moment has passed.
 */
export class ForgetClock {
  private readonly downSince = new Map<string, number>();
  private readonly barredUntil = new Map<string, number>();

  constructor(private readonly forgetMs: number) {}

  /**
   * Records whether the link `key` is down at `now`. True once it has been down for the
   * forget period without a break (the caller then removes it).
   */
  observe(key: string, down: boolean, now: number): boolean {
    if (!down) {
      this.downSince.delete(key);
      return false;
    }
    const since = this.downSince.get(key) ?? now;
    this.downSince.set(key, since);
    return now - since >= this.forgetMs;
  }

  /** Stops tracking a link that was removed. */
  drop(key: string): void {
    this.downSince.delete(key);
  }

  /** `key` (an address or a hub id) is not to be learned again for the forget period. */
  bar(key: string, now: number): void {
    this.barredUntil.set(key, now + this.forgetMs);
  }

  /** An operator's own link to `key` lifts the bar. */
  lift(key: string): void {
    this.barredUntil.delete(key);
  }

  isBarred(key: string, now: number): boolean {
    const until = this.barredUntil.get(key);
    if (until === undefined) return false;
    if (now < until) return true;
    this.barredUntil.delete(key);
    return false;
  }
}
