import { RoomPosition } from './room-position';

/**
 * A positioned event frame is `ROOM\n@EPOCH:OFFSET\n<event>`: the position line sits between
 * the room line and the event, which never starts with `@` (it is JSON). Byte helpers over
 * plain Uint8Array, so Node and browsers share them.
 */
const NEWLINE = 0x0a;
const AT = 0x40;
const COLON = 0x3a;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A position read from a frame, and where its line is: `frame[lineStart, lineEnd)`, the `\n` included. */
export interface FramePosition extends RoomPosition {
  lineStart: number;
  lineEnd: number;
}

/** The position line for `position`, `@EPOCH:OFFSET\n`, as bytes. */
export function positionLine(position: RoomPosition): Uint8Array {
  return encoder.encode(`@${position.epoch}:${position.offset}\n`);
}

/**
 * The frame with the position line inserted right after its room line (the newline at
 * `newlineAt`); the rest of the frame's bytes are unchanged.
 */
export function encodePositionedFrame(
  frame: Uint8Array,
  newlineAt: number,
  position: RoomPosition,
): Uint8Array {
  const line = positionLine(position);
  const out = new Uint8Array(frame.length + line.length);
  out.set(frame.subarray(0, newlineAt + 1), 0);
  out.set(line, newlineAt + 1);
  out.set(frame.subarray(newlineAt + 1), newlineAt + 1 + line.length);
  return out;
}

/**
 * The position of a frame whose room line ends at `newlineAt`, or undefined when the frame
 * has none (or a line that is not a valid position: then it is read as a plain frame).
 */
export function readFramePosition(frame: Uint8Array, newlineAt: number): FramePosition | undefined {
  const lineStart = newlineAt + 1;
  if (frame[lineStart] !== AT) return undefined;
  const end = frame.indexOf(NEWLINE, lineStart);
  if (end === -1) return undefined;
  const colon = frame.lastIndexOf(COLON, end);
  if (colon <= lineStart) return undefined;
  const epoch = decoder.decode(frame.subarray(lineStart + 1, colon));
  const digits = decoder.decode(frame.subarray(colon + 1, end));
  if (!/^[0-9]{1,16}$/.test(digits)) return undefined;
  const offset = Number(digits);
  if (!Number.isSafeInteger(offset) || epoch.length === 0) return undefined;
  return { epoch, offset, lineStart, lineEnd: end + 1 };
}

/** The frame without its position line: the bytes a client that did not opt in would get. */
export function withoutPosition(frame: Uint8Array, position: FramePosition): Uint8Array {
  const out = new Uint8Array(frame.length - (position.lineEnd - position.lineStart));
  out.set(frame.subarray(0, position.lineStart), 0);
  out.set(frame.subarray(position.lineEnd), position.lineStart);
  return out;
}
