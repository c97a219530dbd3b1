import { HistoryCoverage } from './history-coverage';

describe('HistoryCoverage', () => {
  it('covers every offset of a hub that never had a link open', () => {
    const coverage = new HistoryCoverage();
    coverage.regained('R', 4, false);
    coverage.lost('R', false);
    coverage.regained('R', 9, false);
    expect(coverage.covers('R', 0)).toBe(true);
  });

  it('covers only what came after the room was wanted again while a link was open', () => {
    const coverage = new HistoryCoverage();
    coverage.regained('R', 0, false);
    coverage.lost('R', true);
    expect(coverage.covers('R', 5)).toBe(false);
    coverage.regained('R', 9, false);
    expect(coverage.covers('R', 8)).toBe(false);
    expect(coverage.covers('R', 9)).toBe(true);
    expect(coverage.covers('S', 0)).toBe(true);
  });

  it('takes a room first wanted with a link open as heard from then on only', () => {
    const coverage = new HistoryCoverage();
    coverage.regained('R', 7, true);
    expect(coverage.covers('R', 6)).toBe(false);
    expect(coverage.covers('R', 7)).toBe(true);
  });

  it('keeps the first moment of a room wanted twice over', () => {
    const coverage = new HistoryCoverage();
    coverage.regained('R', 3, true);
    coverage.regained('R', 8, true);
    expect(coverage.covers('R', 3)).toBe(true);
  });
});
