import {
  decodeFrame,
  FieldError,
  FrameError,
  FrameLimits,
  isValidRoom,
  roomOfV2Event,
  validateV2Event,
  WILDCARD_ROOM,
} from '@ces/protocol';
import { ValidationMode } from '../config/repeater-config';

/** An event accepted from outside: its routing tag and its JSON bytes, exactly as sent. */
export interface AcceptedEvent {
  room: string;
  event: Buffer;
}

export type IntakeResult =
  ({ ok: true } & AcceptedEvent) | { ok: false; error: string; details: FieldError[] };

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * Reads an event an outside system sent: a bare v2 event JSON or an already framed
 * `ROOM\n{json}`. Validates it and finds its routing tag — the frame's room, else
 * `affected-room.roomID`, else the room of the connection it came on.
 */
export function takeInEvent(
  data: Buffer,
  mode: ValidationMode,
  limits: FrameLimits,
  connectionRoom?: string,
): IntakeResult {
  if (data.length > limits.maxFrameBytes) {
    return refusal(`event of ${data.length} bytes is over the limit of ${limits.maxFrameBytes}`);
  }
  let frameRoom: string | undefined;
  let body = data;
  const first = firstNonSpace(data);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    try {
      ({ room: frameRoom, event: body } = decodeFrame(data, limits));
    } catch (error) {
      return refusal('not a v2 event or a ROOM\\n{event} frame', [
        { field: 'frame', errors: [(error as FrameError).message] },
      ]);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return refusal('event is not valid JSON');
  }
  return checkEvent(parsed, body, mode, limits, frameRoom, connectionRoom);
}

/** Validates an already parsed event (the HTTP body) and finds its room. */
export function checkEvent(
  parsed: unknown,
  bytes: Buffer,
  mode: ValidationMode,
  limits: FrameLimits,
  frameRoom?: string,
  connectionRoom?: string,
): IntakeResult {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return refusal('an event must be a JSON object');
  }
  if (mode === 'strict') {
    const result = validateV2Event(parsed);
    if (!result.ok) return refusal('invalid v2 event', result.errors);
  }
  const fallbackRoom =
    connectionRoom && connectionRoom !== WILDCARD_ROOM ? connectionRoom : undefined;
  const room = frameRoom ?? roomOfV2Event(parsed) ?? fallbackRoom;
  if (room === undefined) {
    return refusal('the event has no room', [
      {
        field: 'affected-room.roomID',
        errors: ['give affected-room.roomID, a framed room, or connect to /connect/:room/:id'],
      },
    ]);
  }
  if (!isValidRoom(room, limits)) {
    return refusal('the event’s room is not a usable room id', [
      {
        field: 'affected-room.roomID',
        errors: ['a room id must be non-empty, without control characters'],
      },
    ]);
  }
  return { ok: true, room, event: bytes };
}

function refusal(error: string, details: FieldError[] = []): IntakeResult {
  return { ok: false, error, details };
}

function firstNonSpace(data: Buffer): number | undefined {
  for (const byte of data)
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  return undefined;
}
