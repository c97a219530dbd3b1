import { StoreHealth } from './durable-store';

/** What a store says when its writes start failing, and when they are sound again. */
export interface WriteHealthEvents {
  down(error: string): void;
  up(): void;
}

/** Long enough to outlast a store that takes one batch in two, short enough for an operator. */
export const DEFAULT_HEALTH_SETTLE_MS = 5_000;

/**
 * Whether a store's writes succeed, reported with hysteresis. A store near full fails a
 * large batch and takes the next small one; reporting each would make the hub's readiness
 * (and its log) flap with its traffic. So the first failure makes it unwritable at once, and
 * it is writable again only once writes have succeeded with no failure for `settleMs` (checked
 * at the success, or by a timer when no write comes after it). Each change is said once.
 */
export class WriteHealth {
  private lastFailureAt = 0;
  private lastWasSuccess = true;
  private settling?: NodeJS.Timeout;

  constructor(
    readonly health: StoreHealth,
    private readonly settleMs: number,
    private readonly events: WriteHealthEvents,
    private readonly now: () => number = Date.now,
  ) {}

  failed(error: string): void {
    this.lastWasSuccess = false;
    this.lastFailureAt = this.now();
    this.health.error = error;
    if (!this.health.writable) return;
    this.health.writable = false;
    this.events.down(error);
  }

  succeeded(): void {
    this.lastWasSuccess = true;
    if (this.health.writable || this.settling) return;
    this.settle();
  }

  /** No timer outlives the store. */
  stop(): void {
    clearTimeout(this.settling);
    this.settling = undefined;
  }

  private settle(): void {
    const wait = this.lastFailureAt + this.settleMs - this.now();
    if (wait <= 0) return this.recover();
    this.settling = setTimeout(() => {
      this.settling = undefined;
      // A failure since then waits for the next success to settle again.
      if (this.lastWasSuccess && !this.health.writable) this.settle();
    }, wait);
    this.settling.unref();
  }

  private recover(): void {
    this.health.writable = true;
    delete this.health.error;
    this.events.up();
  }
}
