/** Exponential backoff with jitter, shared by every reconnecting socket of the system. */
export interface BackoffOptions {
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** The delay never grows beyond this. */
  maxDelayMs: number;
  /** Fraction of the delay randomised either way (0.2 → ±20 %), so peers don't retry in step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  jitter: 0.2,
});

/** The delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponential = options.initialDelayMs * 2 ** Math.min(attempt, 30);
  const capped = Math.min(options.maxDelayMs, exponential);
  const spread = capped * options.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(capped + spread));
}
