import { RecoveryRefusal, RoomPosition } from '@ces/protocol';

/** What the hub knows of a room when a client asks to resume it. */
export interface RecoveryFacts {
  asked: RoomPosition;
  /** The store's epoch. */
  epoch: string;
  /** The room's latest offset (0: none yet). */
  latest: number;
  historyRoom: boolean;
  /** The client's token grants the room. */
  granted: boolean;
  maxRecovery: number;
  /**
   * The room's events after the asked offset, where offsets skip (the cluster's history:
   * stream sequences); left out, offsets are one more per event and this is `latest - asked`.
   */
  missed?: number;
}

/** Replay the `count` events after offset `after`, or say why not. */
export type RecoveryPlan =
  { replay: true; after: number; count: number } | { replay: false; reason: RecoveryRefusal };

/**
 * Whether a room can be resumed from the asked position. The checks come in this order so a
 * room the token does not grant tells nothing of itself.
 */
export function planRecovery(facts: RecoveryFacts): RecoveryPlan {
  const { asked, epoch, latest } = facts;
  if (!facts.granted) return { replay: false, reason: 'forbidden' };
  if (!facts.historyRoom) return { replay: false, reason: 'not-a-history-room' };
  if (asked.epoch !== epoch) return { replay: false, reason: 'epoch-changed' };
  // A position beyond the room's latest was never given by this store: nothing to resume from.
  if (asked.offset > latest) return { replay: false, reason: 'gap' };
  const count = facts.missed ?? latest - asked.offset;
  if (count > facts.maxRecovery) return { replay: false, reason: 'too-many' };
  return { replay: true, after: asked.offset, count };
}

/**
 * True when `offsets` (ascending, as read) are exactly `after + 1 .. after + count`: the
 * history still holds every missed event, none expired or trimmed or lost to a failed write.
 */
export function coversGap(offsets: readonly number[], after: number, count: number): boolean {
  if (offsets.length !== count) return false;
  for (let i = 0; i < count; i++) if (offsets[i] !== after + 1 + i) return false;
  return true;
}
