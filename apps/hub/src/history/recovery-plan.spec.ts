import { coversGap, planRecovery, RecoveryFacts } from './recovery-plan';

const facts = (over: Partial<RecoveryFacts> = {}): RecoveryFacts => ({
  asked: { epoch: 'E', offset: 10 },
  epoch: 'E',
  latest: 25,
  historyRoom: true,
  granted: true,
  maxRecovery: 100,
  ...over,
});

describe('planRecovery', () => {
  it('replays what came after the asked offset up to the latest', () => {
    expect(planRecovery(facts())).toEqual({ replay: true, after: 10, count: 15 });
  });

  it('replays nothing when the client saw the latest', () => {
    expect(planRecovery(facts({ latest: 10 }))).toEqual({ replay: true, after: 10, count: 0 });
  });

  it('refuses a room the token does not grant before anything else', () => {
    const asked = { epoch: 'other', offset: 1 };
    expect(planRecovery(facts({ granted: false, historyRoom: false, asked }))).toEqual({
      replay: false,
      reason: 'forbidden',
    });
  });

  it.each([
    [{ historyRoom: false }, 'not-a-history-room'],
    [{ epoch: 'F' }, 'epoch-changed'],
    [{ latest: 9 }, 'gap'],
    [{ maxRecovery: 14 }, 'too-many'],
  ] as const)('refuses %j: %s', (over, reason) => {
    expect(planRecovery(facts(over))).toEqual({ replay: false, reason });
  });

  it('replays exactly the cap', () => {
    expect(planRecovery(facts({ maxRecovery: 15 }))).toEqual({
      replay: true,
      after: 10,
      count: 15,
    });
  });
});

describe('planRecovery with offsets that skip', () => {
  it('counts the missed events it is told, not the distance between offsets', () => {
    expect(planRecovery(facts({ latest: 900, missed: 3 }))).toEqual({
      replay: true,
      after: 10,
      count: 3,
    });
    expect(planRecovery(facts({ latest: 900, missed: 101 }))).toEqual({
      replay: false,
      reason: 'too-many',
    });
  });
});

describe('coversGap', () => {
  it('holds for exactly the missed offsets', () => {
    expect(coversGap([4, 5, 6], 3, 3)).toBe(true);
    expect(coversGap([], 3, 0)).toBe(true);
  });

  it('fails for an expired start, a hole, or too few', () => {
    expect(coversGap([5, 6], 3, 3)).toBe(false);
    expect(coversGap([4, 6, 7], 3, 3)).toBe(false);
    expect(coversGap([4, 5], 3, 3)).toBe(false);
  });
});
