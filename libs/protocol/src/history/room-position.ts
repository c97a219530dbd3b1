import { isBoundedToken, isNonNegativeInteger } from '../util/wire-values';

/**
 * Where an event of a history room sits: the hub store's epoch (made once when the store is
 * created) and the room's offset (1-based, one more per event of that room).
 */
export interface RoomPosition {
  epoch: string;
  offset: number;
}

export const MAX_EPOCH_LENGTH = 64;

const EPOCH = /^[A-Za-z0-9._-]+$/;

/** 1 to 64 characters of `A-Z a-z 0-9 . _ -`: no `:` (it ends the epoch on the wire). */
export function isValidEpoch(epoch: unknown): epoch is string {
  return isBoundedToken(epoch, MAX_EPOCH_LENGTH, EPOCH);
}

/** A room's offset: 0 (nothing seen yet) or more. */
export function isValidOffset(offset: unknown): offset is number {
  return isNonNegativeInteger(offset);
}
