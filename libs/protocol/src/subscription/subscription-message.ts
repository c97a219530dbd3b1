import { DEFAULT_FRAME_LIMITS, FrameLimits, isValidRoom } from '../frame';
import { isValidEpoch, isValidOffset, RoomPosition } from '../history/room-position';
import { isBoundedString, isNonNegativeInteger } from '../util/wire-values';

/** The room that means "every room". */
export const WILDCARD_ROOM = '*';

/**
 * A messenger's change of subscriptions, sent as a text frame:
 * `{"rooms":["A","B"],"create":true}` adds rooms, `create:false` removes them,
 * and `create:false` with no rooms removes all of the sender's rooms.
 */
export interface SubscriptionChange {
  rooms: string[];
  create: boolean;
  /** Consumer group: each event of these rooms reaches one member of the group. */
  group?: string;
  /** A durable group keeps events while it has no member connected. */
  durable?: boolean;
  /** Events of history rooms come with their position (`ROOM\n@EPOCH:OFFSET\n<event>`). */
  positions?: boolean;
  /** Per room (each one of `rooms`): resume after this position, missed events first. */
  recover?: Record<string, RoomPosition>;
}

/** A durable-group member's acknowledgement of the first `ack` group events delivered to it. */
export interface AckMessage {
  ack: number;
}

export type ControlMessage =
  ({ type: 'subscription' } & SubscriptionChange) | ({ type: 'ack' } & AckMessage);

export interface FieldError {
  field: string;
  errors: string[];
}

/** Thrown for a text frame that is not a valid control message; `details` says what is wrong. */
export class ControlMessageError extends Error {
  constructor(
    message: string,
    readonly details: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ControlMessageError';
  }
}

const MAX_GROUP_LENGTH = 128;

/** Encodes a subscription change exactly as the original messenger does. */
export function encodeSubscriptionChange(change: SubscriptionChange): string {
  const message: Record<string, unknown> = { rooms: change.rooms, create: change.create };
  if (change.group !== undefined) message.group = change.group;
  if (change.durable !== undefined) message.durable = change.durable;
  if (change.positions !== undefined) message.positions = change.positions;
  if (change.recover !== undefined) message.recover = change.recover;
  return JSON.stringify(message);
}

export function encodeAck(count: number): string {
  return JSON.stringify({ ack: count });
}

/** Parses a text frame as a subscription change or an ack. Throws ControlMessageError. */
export function parseControlMessage(
  text: string | Buffer,
  limits: FrameLimits = DEFAULT_FRAME_LIMITS,
): ControlMessage {
  let value: unknown;
  try {
    value = JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
  } catch {
    throw new ControlMessageError('control message is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ControlMessageError('control message must be a JSON object');
  }
  const message = value as Record<string, unknown>;
  if ('ack' in message && !('rooms' in message) && !('create' in message)) {
    return { type: 'ack', ...parseAck(message) };
  }
  return { type: 'subscription', ...parseSubscription(message, limits) };
}

function parseAck(message: Record<string, unknown>): AckMessage {
  const { ack } = message;
  if (!isNonNegativeInteger(ack)) {
    throw new ControlMessageError('invalid ack message', [
      { field: 'ack', errors: ['ack must be a non-negative integer'] },
    ]);
  }
  return { ack };
}

function parseSubscription(
  message: Record<string, unknown>,
  limits: FrameLimits,
): SubscriptionChange {
  const details: FieldError[] = [];
  const { rooms, create, group, durable, positions, recover } = message;

  if (typeof create !== 'boolean') {
    details.push({ field: 'create', errors: ['create must be true or false'] });
  }
  if (rooms !== undefined && rooms !== null) {
    if (!Array.isArray(rooms)) {
      details.push({ field: 'rooms', errors: ['rooms must be an array of room ids'] });
    } else {
      rooms.forEach((room, index) => {
        if (!isValidRoom(room, limits)) {
          details.push({
            field: `rooms[${index}]`,
            errors: [
              `a room id must be a non-empty string of at most ${limits.maxRoomBytes} bytes without control characters`,
            ],
          });
        }
      });
    }
  } else if (create === true) {
    details.push({ field: 'rooms', errors: ['rooms is required when create is true'] });
  }
  if (group !== undefined && (typeof group !== 'string' || !isValidGroup(group))) {
    details.push({
      field: 'group',
      errors: [
        `group must be a non-empty string of at most ${MAX_GROUP_LENGTH} printable characters`,
      ],
    });
  }
  if (durable !== undefined && typeof durable !== 'boolean') {
    details.push({ field: 'durable', errors: ['durable must be true or false'] });
  }
  if (durable === true && group === undefined) {
    details.push({ field: 'durable', errors: ['only a group can be durable'] });
  }
  if (positions !== undefined && typeof positions !== 'boolean') {
    details.push({ field: 'positions', errors: ['positions must be true or false'] });
  }
  if (recover !== undefined) details.push(...recoverErrors(recover, rooms, create, group));
  if (details.length > 0) {
    throw new ControlMessageError('invalid subscription message', details);
  }

  const change: SubscriptionChange = {
    rooms: Array.isArray(rooms) ? [...new Set(rooms as string[])] : [],
    create: create as boolean,
  };
  if (typeof group === 'string') change.group = group;
  if (typeof durable === 'boolean') change.durable = durable;
  if (typeof positions === 'boolean') change.positions = positions;
  if (recover !== undefined) change.recover = positionsOf(recover as Record<string, RoomPosition>);
  return change;
}

/** What is wrong with a `recover` field: each entry a room of `rooms`, with a valid position. */
function recoverErrors(
  recover: unknown,
  rooms: unknown,
  create: unknown,
  group: unknown,
): FieldError[] {
  if (typeof recover !== 'object' || recover === null || Array.isArray(recover))
    return [{ field: 'recover', errors: ['recover must be an object of room: position'] }];
  if (create !== true) return [{ field: 'recover', errors: ['recover needs create: true'] }];
  // A group's events go to one member each: a member resumes nothing of its own.
  if (group !== undefined)
    return [{ field: 'recover', errors: ['recover is for plain subscriptions, not groups'] }];
  const asked = new Set(Array.isArray(rooms) ? (rooms as unknown[]) : []);
  const details: FieldError[] = [];
  for (const [room, position] of Object.entries(recover as Record<string, unknown>)) {
    const field = `recover.${room.length <= 64 ? room : `${room.slice(0, 61)}...`}`;
    if (!asked.has(room)) details.push({ field, errors: ['the room is not among rooms'] });
    else if (!isPosition(position))
      details.push({
        field,
        errors: ['a position is {"epoch": 1–64 characters of A-Za-z0-9._-, "offset": 0 or more}'],
      });
  }
  return details;
}

function isPosition(value: unknown): value is RoomPosition {
  if (typeof value !== 'object' || value === null) return false;
  const { epoch, offset } = value as Record<string, unknown>;
  return isValidEpoch(epoch) && isValidOffset(offset);
}

/** Only the two fields of each position, whatever else the client sent along. */
function positionsOf(recover: Record<string, RoomPosition>): Record<string, RoomPosition> {
  // No prototype: a room named `__proto__` is a room like any other.
  const out = Object.create(null) as Record<string, RoomPosition>;
  for (const [room, { epoch, offset }] of Object.entries(recover)) out[room] = { epoch, offset };
  return out;
}

function isValidGroup(group: string): boolean {
  // Names starting with # are the hub's own (#repeaters).
  return (
    isBoundedString(group, MAX_GROUP_LENGTH) &&
    !group.startsWith('#') &&
    // eslint-disable-next-line no-control-regex
    !/[\x00-\x1f\x7f]/.test(group)
  );
}
