import fc from 'fast-check';
import { AckTracker } from './ack-tracker';

describe('AckTracker', () => {
  it('advances over a gap-free run only', () => {
    const tracker = new AckTracker();
    expect(tracker.processed(2)).toBe(false);
    expect(tracker.upTo).toBe(0);
    expect(tracker.processed(1)).toBe(true);
    expect(tracker.upTo).toBe(2);
    expect(tracker.processed(4)).toBe(false);
    expect(tracker.processed(2)).toBe(false);
    expect(tracker.processed(3)).toBe(true);
    expect(tracker.upTo).toBe(4);
  });

  it('ends at N for any completion order of 1..N (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }).chain((n) =>
          fc.shuffledSubarray(
            Array.from({ length: n }, (_, i) => i + 1),
            { minLength: n, maxLength: n },
          ),
        ),
        (order) => {
          const tracker = new AckTracker();
          let previous = 0;
          for (const sequence of order) {
            tracker.processed(sequence);
            expect(tracker.upTo).toBeGreaterThanOrEqual(previous);
            previous = tracker.upTo;
          }
          expect(tracker.upTo).toBe(order.length);
        },
      ),
    );
  });
});
