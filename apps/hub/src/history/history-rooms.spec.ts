import { historyRoomMatcher } from './history-rooms';

describe('historyRoomMatcher', () => {
  it('is undefined when no room keeps history', () => {
    expect(historyRoomMatcher([])).toBeUndefined();
  });

  it('matches globs', () => {
    const matches = historyRoomMatcher(['ITB-*', 'audit'])!;
    expect(matches('ITB-1101')).toBe(true);
    expect(matches('audit')).toBe(true);
    expect(matches('JFSB-1')).toBe(false);
  });

  it('takes * as every room but the wildcard room itself', () => {
    const matches = historyRoomMatcher(['*'])!;
    expect(matches('anything')).toBe(true);
    expect(matches('*')).toBe(false);
  });
});
