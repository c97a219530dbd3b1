/**
 * A token bucket: `rate` tokens a second, at most `burst` saved up. Refilled lazily from
 * the clock when a token is asked for, so an idle bucket costs nothing.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.refilledAt = now();
  }

  take(): boolean {
    if (this.tokens < 1) {
      const now = this.now();
      this.tokens = Math.min(
        this.burst,
        this.tokens + ((now - this.refilledAt) * this.rate) / 1000,
      );
      this.refilledAt = now;
      if (this.tokens < 1) return false;
    }
    this.tokens--;
    return true;
  }
}
