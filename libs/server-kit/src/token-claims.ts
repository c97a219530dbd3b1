import { PeerKind, PEER_KINDS } from '@ces/protocol';

/** The claims of a JWT that say what it may do, once checked to be exactly the documented shape. */
export interface CesClaims {
  kinds: PeerKind[];
  rooms: { subscribe?: string[]; publish?: string[] };
  operator: boolean;
  subject?: string;
}

/** Bounds on room claims: a token is a credential, not a way to make the server do work. */
export const CLAIM_LIMITS = { maxPatterns: 1000, maxPatternLength: 512 } as const;

const ROOM_LISTS = ['subscribe', 'publish'] as const;

export class ClaimError extends Error {}

/**
 * Reads `kinds`, `rooms`, `operator` and `sub` of a verified JWT payload. Anything that is not
 * exactly the documented shape throws a ClaimError naming the claim: a malformed claim refuses
 * the token, it never widens what the token may do. Other claims are not ours and are ignored.
 */
export function readCesClaims(payload: Record<string, unknown>): CesClaims {
  return {
    kinds: readKinds(payload.kinds),
    rooms: readRooms(payload.rooms),
    operator: readOperator(payload.operator),
    subject: readSubject(payload.sub),
  };
}

function readKinds(value: unknown): PeerKind[] {
  if (value === undefined) return ['messenger'];
  if (!Array.isArray(value)) throw new ClaimError('kinds must be an array of peer kinds');
  for (const kind of value) {
    if (typeof kind !== 'string' || !(PEER_KINDS as readonly string[]).includes(kind))
      throw new ClaimError(`kinds may only list ${PEER_KINDS.join(', ')}`);
  }
  return value as PeerKind[];
}

function readRooms(value: unknown): CesClaims['rooms'] {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ClaimError('rooms must be an object with subscribe and/or publish');
  const rooms: CesClaims['rooms'] = {};
  for (const key of Object.keys(value)) {
    if (!(ROOM_LISTS as readonly string[]).includes(key))
      throw new ClaimError(`rooms may only have subscribe and publish, not ${clip(key)}`);
  }
  for (const list of ROOM_LISTS) {
    const patterns = (value as Record<string, unknown>)[list];
    if (patterns !== undefined) rooms[list] = readPatterns(patterns, `rooms.${list}`);
  }
  return rooms;
}

function readPatterns(value: unknown, claim: string): string[] {
  const { maxPatterns, maxPatternLength } = CLAIM_LIMITS;
  if (!Array.isArray(value)) throw new ClaimError(`${claim} must be an array of room patterns`);
  if (value.length > maxPatterns)
    throw new ClaimError(`${claim} may list at most ${maxPatterns} patterns`);
  for (const pattern of value) {
    if (
      typeof pattern !== 'string' ||
      pattern.length === 0 ||
      pattern.length > maxPatternLength ||
      hasControlCharacter(pattern)
    ) {
      throw new ClaimError(
        `${claim} must hold non-empty strings of at most ${maxPatternLength} characters without control characters`,
      );
    }
  }
  return value as string[];
}

function readOperator(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new ClaimError('operator must be true or false');
  return value;
}

function readSubject(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ClaimError('sub must be a string');
  return value;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function clip(text: string): string {
  return JSON.stringify(text.length > 32 ? `${text.slice(0, 32)}…` : text);
}
