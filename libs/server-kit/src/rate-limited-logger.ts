import { Logger } from '@nestjs/common';

/**
 * Logs a kind of problem at most once per interval and says how many were
 * suppressed meanwhile, so a flood of bad frames cannot flood the log.
 */
export class RateLimitedLogger {
  private readonly lastLoggedAt = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
  ) {}

  warn(kind: string, message: string): void {
    const now = Date.now();
    const last = this.lastLoggedAt.get(kind) ?? 0;
    if (now - last < this.intervalMs) {
      this.suppressed.set(kind, (this.suppressed.get(kind) ?? 0) + 1);
      return;
    }
    const skipped = this.suppressed.get(kind) ?? 0;
    this.suppressed.delete(kind);
    this.lastLoggedAt.set(kind, now);
    this.logger.warn(skipped > 0 ? `${message} (${skipped} more like it suppressed)` : message);
  }
}
