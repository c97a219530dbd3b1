import fc from 'fast-check';
import { backoffDelay, BackoffOptions, DEFAULT_BACKOFF } from './backoff';

const middle = () => 0.5; // no jitter either way

/** A random source that replays `values` in order. */
const replay = (values: readonly number[]) => {
  let next = 0;
  return () => values[next++ % values.length];
};

const options = fc
  .record({
    initialDelayMs: fc.integer({ min: 1, max: 10_000 }),
    extra: fc.integer({ min: 0, max: 1_000_000 }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ initialDelayMs, extra, jitter }): BackoffOptions => ({
    initialDelayMs,
    maxDelayMs: initialDelayMs + extra,
    jitter,
  }));

/** Math.random's range: [0, 1). */
const randomValue = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the maximum', () => {
    const delays = Array.from({ length: 9 }, (_, attempt) =>
      backoffDelay(attempt, DEFAULT_BACKOFF, middle),
    );
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('spreads each delay by the jitter either way', () => {
    const options = { initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.2 };
    expect(backoffDelay(0, options, () => 0)).toBe(800);
    expect(backoffDelay(0, options, () => 0.75)).toBe(1100);
    expect(backoffDelay(3, options, () => 0.25)).toBe(7200);
    expect(backoffDelay(10, options, () => 0)).toBe(48_000);
    expect(backoffDelay(10, options, () => 0.999_999)).toBe(72_000);
  });

  it('has no jitter when jitter is 0, and never goes below 0', () => {
    const exact = { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, exact, () => 0))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    const wild = { initialDelayMs: 100, maxDelayMs: 1000, jitter: 3 };
    expect(backoffDelay(0, wild, () => 0)).toBe(0);
  });

  it('copes with huge attempt numbers', () => {
    expect(backoffDelay(1_000_000, DEFAULT_BACKOFF, middle)).toBe(10_000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, DEFAULT_BACKOFF, () => 0)).toBe(8000);
  });

  it('uses Math.random unless told otherwise', () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      expect(backoffDelay(1, DEFAULT_BACKOFF)).toBe(400);
      expect(random).toHaveBeenCalledTimes(1);
    } finally {
      random.mockRestore();
    }
  });

  it('is never above max × (1 + jitter), nor outside the jitter around its step (property)', () => {
    fc.assert(
      fc.property(options, fc.nat({ max: 200 }), randomValue, (opts, attempt, r) => {
        const delay = backoffDelay(attempt, opts, () => r);
        const step = Math.min(opts.maxDelayMs, opts.initialDelayMs * 2 ** Math.min(attempt, 30));
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        // Rounding to whole milliseconds is monotonic, so the bounds are the rounded extremes.
        expect(delay).toBeLessThanOrEqual(Math.round(opts.maxDelayMs * (1 + opts.jitter)));
        expect(delay).toBeLessThanOrEqual(Math.round(step * (1 + opts.jitter)));
        expect(delay).toBeGreaterThanOrEqual(Math.max(0, Math.round(step * (1 - opts.jitter))));
      }),
      { numRuns: 500 },
    );
  });

  it('grows with the attempt number for the same random draw (property)', () => {
    fc.assert(
      fc.property(options, fc.nat({ max: 60 }), randomValue, (opts, attempt, r) => {
        const now = backoffDelay(attempt, opts, () => r);
        const next = backoffDelay(attempt + 1, opts, () => r);
        expect(next).toBeGreaterThanOrEqual(now);
        if (opts.initialDelayMs * 2 ** (attempt + 1) <= opts.maxDelayMs && opts.jitter === 0) {
          expect(next).toBe(Math.round(now * 2));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is deterministic for the same random sequence (property)', () => {
    fc.assert(
      fc.property(
        options,
        fc.array(randomValue, { minLength: 1, maxLength: 20 }),
        (opts, draws) => {
          const run = () => {
            const random = replay(draws);
            return draws.map((_, attempt) => backoffDelay(attempt, opts, random));
          };
          expect(run()).toEqual(run());
          const expected = draws.map((r, attempt) => backoffDelay(attempt, opts, () => r));
          expect(run()).toEqual(expected);
        },
      ),
    );
  });
});
