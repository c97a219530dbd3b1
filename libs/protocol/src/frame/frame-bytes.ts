import { FrameError } from './frame-error';
import { DEFAULT_FRAME_LIMITS, FrameLimits } from './frame-limits';

/**
 * The frame codec over plain Uint8Array, TextEncoder and TextDecoder: the same wire form as
 * `encodeFrame`/`decodeFrame`, for runtimes without Node's Buffer (web pages). Node code keeps
 * the Buffer codec, which is faster there.
 */
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Checks the room line of a frame (Buffer or plain bytes) and says where it ends: the room
 * is `frame[0, roomEnd)`, the newline at `newlineAt` (CRLF allowed). The event is not read.
 * Both codecs share these checks; each turns the room's bytes into a string its own way.
 */
export function roomLineOf(
  frame: Uint8Array,
  limits: FrameLimits = DEFAULT_FRAME_LIMITS,
): { roomEnd: number; newlineAt: number } {
  if (frame.length > limits.maxFrameBytes) {
    throw new FrameError(
      'frame-too-large',
      `frame of ${frame.length} bytes is over the limit of ${limits.maxFrameBytes}`,
    );
  }
  const newlineAt = frame.indexOf(NEWLINE);
  if (newlineAt === -1)
    throw new FrameError('no-newline', 'frame has no newline after the room id');
  const roomEnd =
    newlineAt > 0 && frame[newlineAt - 1] === CARRIAGE_RETURN ? newlineAt - 1 : newlineAt;
  if (roomEnd === 0) throw new FrameError('empty-room', 'frame has an empty room id');
  if (roomEnd > limits.maxRoomBytes) {
    throw new FrameError(
      'room-too-long',
      `room id of ${roomEnd} bytes is over the limit of ${limits.maxRoomBytes}`,
    );
  }
  for (let i = 0; i < roomEnd; i++) {
    if (frame[i] < 0x20 || frame[i] === 0x7f)
      throw new FrameError('room-control-character', 'room id contains a control character');
  }
  return { roomEnd, newlineAt };
}

/** The room of a frame and the index of the newline that ends it; the event is not read. */
export function decodeRoomBytes(
  frame: Uint8Array,
  limits: FrameLimits = DEFAULT_FRAME_LIMITS,
): { room: string; newlineAt: number } {
  const { roomEnd, newlineAt } = roomLineOf(frame, limits);
  return { room: decoder.decode(frame.subarray(0, roomEnd)), newlineAt };
}

/** `ROOM\n<event>` → the room and a view of the event's bytes, trimmed, not parsed. */
export function decodeFrameBytes(
  frame: Uint8Array,
  limits: FrameLimits = DEFAULT_FRAME_LIMITS,
): { room: string; event: Uint8Array } {
  const { room, newlineAt } = decodeRoomBytes(frame, limits);
  const { start, end } = eventBounds(frame, newlineAt);
  return { room, event: frame.subarray(start, end) };
}

/**
 * Where the event of a frame starts and ends, without the blank lines and whitespace around
 * it (the original Go hub forwards `ROOM\n\n{json}`). Both codecs share it.
 */
export function eventBounds(frame: Uint8Array, newlineAt: number): { start: number; end: number } {
  let start = newlineAt + 1;
  let end = frame.length;
  while (start < end && isWhitespace(frame[start])) start++;
  while (end > start && isWhitespace(frame[end - 1])) end--;
  if (start === end) throw new FrameError('empty-event', 'frame has a room id but no event');
  return { start, end };
}

/** One frame from a room and an event (object, JSON text or bytes). */
export function encodeFrameBytes(room: string, event: unknown): Uint8Array {
  const head = encoder.encode(`${room}\n`);
  const body =
    event instanceof Uint8Array
      ? event
      : encoder.encode(typeof event === 'string' ? event : JSON.stringify(event));
  const frame = new Uint8Array(head.length + body.length);
  frame.set(head, 0);
  frame.set(body, head.length);
  return frame;
}

/** The same test as `isValidRoom`, without Buffer. */
export function isValidRoomBytes(
  room: unknown,
  limits: FrameLimits = DEFAULT_FRAME_LIMITS,
): room is string {
  if (typeof room !== 'string' || /[\r\n]/.test(room) || !room.isWellFormed()) return false;
  try {
    decodeRoomBytes(encoder.encode(`${room}\n`), limits);
    return true;
  } catch {
    return false;
  }
}

/** UTF-8 bytes as text. */
export function utf8Text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
