import { RateHistory } from './rate-history';

type Reading = [at: number, totals: Record<string, number>];

/** The samples a history of this capacity holds after these readings, in order. */
function samplesAfter(capacity: number, readings: Reading[]) {
  const history = new RateHistory(capacity);
  for (const [at, totals] of readings) history.record(at, totals);
  return history.samples();
}

describe('RateHistory', () => {
  it('has no rate from a first reading alone', () => {
    expect(samplesAfter(4, [[0, { in: 0, out: 0 }]])).toEqual([]);
  });

  it('keeps the rates between readings, oldest first', () => {
    const readings: Reading[] = [
      [0, { in: 0, out: 0 }],
      [5000, { in: 50, out: 10 }],
      [10_000, { in: 150, out: 10 }],
    ];
    expect(samplesAfter(4, readings)).toEqual([
      { t: 5000, in: 10, out: 2 },
      { t: 10_000, in: 20, out: 0 },
    ]);
  });

  it('holds at most its capacity, dropping the oldest', () => {
    const squares = Array.from({ length: 11 }, (_, n): Reading => [n * 1000, { in: n * n }]);
    expect(samplesAfter(3, squares)).toEqual([
      { t: 8000, in: 15 },
      { t: 9000, in: 17 },
      { t: 10_000, in: 19 },
    ]);
  });

  it('reads a total that went down (a restart of a counter) as 0, and a new series from its next reading', () => {
    const readings: Reading[] = [
      [0, { in: 100 }],
      [1000, { in: 40, out: 7 }],
      [2000, { in: 41, out: 9 }],
    ];
    const samples = samplesAfter(4, readings);
    expect(samples.map(({ t }) => t)).toEqual([1000, 2000]);
    expect(samples.map((sample) => sample.in)).toEqual([0, 1]);
    expect(samples.map(({ out }) => out)).toEqual([0, 2]);
  });

  it('skips a reading that is not later than the one before', () => {
    expect(
      samplesAfter(4, [
        [1000, { in: 0 }],
        [1000, { in: 5 }],
      ]),
    ).toEqual([]);
  });
});
