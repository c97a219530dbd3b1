import { ForgetClock } from './forget-clock';

describe('ForgetClock', () => {
  it('forgets a link only once it has been down for the whole period', () => {
    const clock = new ForgetClock(100);
    expect(clock.observe('l', true, 0)).toBe(false);
    expect(clock.observe('l', true, 99)).toBe(false);
    expect(clock.observe('l', true, 100)).toBe(true);
  });

  it('starts over when the link comes back up', () => {
    const clock = new ForgetClock(100);
    clock.observe('l', true, 0);
    expect(clock.observe('l', false, 50)).toBe(false);
    expect(clock.observe('l', true, 120)).toBe(false);
    expect(clock.observe('l', true, 219)).toBe(false);
    expect(clock.observe('l', true, 220)).toBe(true);
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
