import { roomMatcher } from '@ces/server-kit';

/**
 * Which rooms keep history, from `HUB_HISTORY_ROOMS` globs: undefined when none do, so the
 * event path pays one check; else one cached lookup per event (the matcher caches its
 * answer per room, within a bound).
 */
export function historyRoomMatcher(
  patterns: readonly string[],
): ((room: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  // The grants' matcher says undefined for "every room"; here that means every room keeps history.
  return roomMatcher(patterns) ?? ((room) => room !== '*');
}
