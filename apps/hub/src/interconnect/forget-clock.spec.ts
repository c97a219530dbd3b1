import { ForgetClock } from './forget-clock';

/** Whether the clock says "forget" at each observation of link `l`: [down, at] in order. */
function verdicts(clock: ForgetClock, observations: [down: boolean, at: number][]): boolean[] {
  return observations.map(([down, at]) => clock.observe('l', down, at));
}

describe('ForgetClock', () => {
  it('forgets a link only once it has been down for the whole period', () => {
    const downAt = [0, 99, 100].map((at): [boolean, number] => [true, at]);
    expect(verdicts(new ForgetClock(100), downAt)).toEqual([false, false, true]);
  });

  it('starts over when the link comes back up', () => {
    const downUpDown: [boolean, number][] = [
      [true, 0],
      [false, 50],
      [true, 120],
      [true, 219],
      [true, 220],
    ];
    expect(verdicts(new ForgetClock(100), downUpDown)).toEqual([false, false, false, false, true]);
  });

  it('starts over for a link that was dropped and is tracked again', () => {
    const clock = new ForgetClock(100);
    clock.observe('l', true, 0);
    clock.drop('l');
    expect(clock.observe('l', true, 150)).toBe(false);
  });

  it('bars a key for the period, unless lifted', () => {
    const clock = new ForgetClock(100);
    clock.bar('a', 0);
    clock.bar('b', 0);
    expect(clock.isBarred('a', 99)).toBe(true);
    expect(clock.isBarred('a', 100)).toBe(false);
    expect(clock.isBarred('a', 50)).toBe(false);
    clock.lift('b');
    expect(clock.isBarred('b', 1)).toBe(false);
    expect(clock.isBarred('never', 1)).toBe(false);
  });
});
