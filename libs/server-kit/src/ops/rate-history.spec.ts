import { RateHistory } from './rate-history';

describe('RateHistory', () => {
  it('keeps the rates between readings, oldest first', () => {
    const history = new RateHistory(4);
    history.record(0, { in: 0, out: 0 });
    expect(history.samples()).toEqual([]);
    history.record(5000, { in: 50, out: 10 });
    history.record(10_000, { in: 150, out: 10 });
    expect(history.samples()).toEqual([
      { t: 5000, in: 10, out: 2 },
      { t: 10_000, in: 20, out: 0 },
    ]);
  });

  it('holds at most its capacity, dropping the oldest', () => {
    const history = new RateHistory(3);
    for (let n = 0; n <= 10; n++) history.record(n * 1000, { in: n * n });
    expect(history.samples()).toEqual([
      { t: 8000, in: 15 },
      { t: 9000, in: 17 },
      { t: 10_000, in: 19 },
    ]);
  });

  it('reads a total that went down (a restart of a counter) as 0, and a new series from its next reading', () => {
    const history = new RateHistory(4);
    history.record(0, { in: 100 });
    history.record(1000, { in: 40, out: 7 });
    history.record(2000, { in: 41, out: 9 });
    expect(history.samples()).toEqual([
      { t: 1000, in: 0, out: 0 },
      { t: 2000, in: 1, out: 2 },
    ]);
  });

  it('skips a reading that is not later than the one before', () => {
    const history = new RateHistory(4);
    history.record(1000, { in: 0 });
    history.record(1000, { in: 5 });
    expect(history.samples()).toEqual([]);
  });
});
