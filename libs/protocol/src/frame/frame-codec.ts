import { eventBounds, roomLineOf } from './frame-bytes';
import { FrameError } from './frame-error';
import { DEFAULT_FRAME_LIMITS, FrameLimits } from './frame-limits';

const NEWLINE = 0x0a;

/** A decoded event frame: the routing tag, and the event's bytes left unparsed. */
export interface DecodedFrame {
  room: string;
  /** A view into the frame (no copy) holding the JSON event without surrounding whitespace. */
  event: Buffer;
}

/**
 * Reads the room line of a frame without looking at the event itself.
 * Returns the room and the end of the room line (the index of its `\n`).
 * This is all the hub needs on its forwarding path.
 */
export function decodeRoom(
  frame: Buffer,
  limits: FrameLimits = DEFAULT_FRAME_LIMITS,
): { room: string; newlineAt: number } {
  const { roomEnd, newlineAt } = roomLineOf(frame, limits);
  // Buffer's own decoder: faster than TextDecoder on the hub's forwarding path.
  return { room: frame.toString('utf8', 0, roomEnd), newlineAt };
}

/**
 * Decodes `ROOM\n<event>`; tolerates blank lines and whitespace around the event
 * (the original Go hub forwards `ROOM\n\n{json}`) and CRLF. The event is not parsed.
 */
export function decodeFrame(
  frame: Buffer,
  limits: FrameLimits = DEFAULT_FRAME_LIMITS,
): DecodedFrame {
  const { room, newlineAt } = decodeRoom(frame, limits);
  const { start, end } = eventBounds(frame, newlineAt);
  return { room, event: frame.subarray(start, end) };
}

/** Builds a frame once, as one Buffer, from a room and an event (object, JSON text or bytes). */
export function encodeFrame(room: string, event: unknown): Buffer {
  // An event given as text or as an object (JSON) is framed as one string written once into
  // the Buffer: the same bytes as below, without encoding the body and then copying it.
  const text = typeof event === 'string' ? event : eventJson(event);
  if (text !== undefined) return Buffer.from(`${room}\n${text}`, 'utf8');
  const body = eventBytes(event);
  const roomBytes = Buffer.byteLength(room);
  const frame = Buffer.allocUnsafe(roomBytes + 1 + body.length);
  frame.write(room, 0, 'utf8');
  frame[roomBytes] = NEWLINE;
  body.copy(frame, roomBytes + 1);
  return frame;
}

/** The JSON of an event that is neither text nor bytes; undefined for bytes (and for what JSON cannot say). */
function eventJson(event: unknown): string | undefined {
  if (event instanceof Uint8Array) return undefined;
  return JSON.stringify(event) as string | undefined;
}

function eventBytes(event: unknown): Buffer {
  if (Buffer.isBuffer(event)) return event;
  if (event instanceof Uint8Array) return Buffer.from(event.buffer, event.byteOffset, event.length);
  if (typeof event === 'string') return Buffer.from(event, 'utf8');
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/** Throws a FrameError if `room` could not be carried as a frame's routing tag. */
export function assertValidRoom(room: string, limits: FrameLimits = DEFAULT_FRAME_LIMITS): void {
  // decodeRoom stops at the first \n and drops a \r before it: check the whole room for both.
  if (/[\r\n]/.test(room))
    throw new FrameError('room-control-character', 'room id contains a control character');
  // A lone surrogate cannot travel as UTF-8: the room would arrive as another one.
  if (!room.isWellFormed())
    throw new FrameError('room-control-character', 'room id is not well-formed Unicode');
  decodeRoom(Buffer.from(`${room}\n`), limits);
}

/** True when `room` is usable as a routing tag. */
export function isValidRoom(
  room: unknown,
  limits: FrameLimits = DEFAULT_FRAME_LIMITS,
): room is string {
  if (typeof room !== 'string') return false;
  try {
    assertValidRoom(room, limits);
    return true;
  } catch {
    return false;
  }
}
