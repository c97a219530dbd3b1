import fc from 'fast-check';
import { assertValidRoom, decodeFrame, decodeRoom, encodeFrame, isValidRoom } from './frame-codec';
import { FrameError, FrameErrorReason } from './frame-error';
import {
  DEFAULT_FRAME_LIMITS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_ROOM_BYTES,
} from './frame-limits';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** The FrameError `run` throws; fails the test when it throws nothing or something else. */
function frameErrorOf(run: () => unknown): FrameError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FrameError);
    return error as FrameError;
  }
  throw new Error('expected a FrameError, nothing was thrown');
}

const isControl = (codePoint: number) => codePoint < 0x20 || codePoint === 0x7f;

/** One code point a room may hold: printable ASCII or any non-surrogate code point above it. */
const roomCharacter = fc
  .oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0x80, max: 0x7ff }),
    fc.integer({ min: 0x800, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  )
  .map((codePoint) => String.fromCodePoint(codePoint));

/** Non-empty rooms without control characters, multi-byte characters included, any length. */
const anyRoom = fc.string({ unit: roomCharacter, minLength: 1, maxLength: 120 });

/** Rooms valid under the default limits (at most 256 bytes of UTF-8). */
const validRoom = anyRoom.filter((room) => Buffer.byteLength(room) <= DEFAULT_MAX_ROOM_BYTES);

describe('encodeFrame / decodeFrame round trip', () => {
  it('carries any valid room and any JSON value (property)', () => {
    fc.assert(
      fc.property(validRoom, fc.jsonValue({ stringUnit: 'binary' }), (room, value) => {
        const json = JSON.stringify(value);
        const inputs: unknown[] = [json, Buffer.from(json), new Uint8Array(Buffer.from(json))];
        // A string is taken as JSON text, so only non-string values may be passed as values.
        if (typeof value !== 'string') inputs.push(value);
        for (const input of inputs) {
          const frame = encodeFrame(room, input);
          expect(frame.equals(Buffer.concat([bytes(room), bytes('\n'), bytes(json)]))).toBe(true);
          const decoded = decodeFrame(frame);
          expect(decoded.room).toBe(room);
          expect(decoded.event.toString('utf8')).toBe(json);
          expect(JSON.stringify(JSON.parse(decoded.event.toString('utf8')))).toBe(json);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a room of exactly the byte limit and refuses one byte more (property)', () => {
    fc.assert(
      fc.property(anyRoom, fc.integer({ min: 1, max: 400 }), (room, maxRoomBytes) => {
        const limits = { maxFrameBytes: DEFAULT_MAX_FRAME_BYTES, maxRoomBytes };
        const frame = encodeFrame(room, { k: 1 });
        if (Buffer.byteLength(room) <= maxRoomBytes) {
          expect(decodeFrame(frame, limits).room).toBe(room);
          expect(isValidRoom(room, limits)).toBe(true);
        } else {
          expect(frameErrorOf(() => decodeFrame(frame, limits)).reason).toBe('room-too-long');
          expect(isValidRoom(room, limits)).toBe(false);
        }
      }),
    );
  });

  it('writes the exact bytes of the original format', () => {
    expect(encodeFrame('ITB-1101', { key: 'power', value: 'on' }).toString('latin1')).toBe(
      'ITB-1101\n{"key":"power","value":"on"}',
    );
    expect([...encodeFrame('é', '{}')]).toEqual([0xc3, 0xa9, 0x0a, 0x7b, 0x7d]);
  });

  it('takes a string as JSON text (not re-quoted) and bytes as they are', () => {
    expect(encodeFrame('R', '{"a":1}').toString()).toBe('R\n{"a":1}');
    expect(encodeFrame('R', Buffer.from('[1]')).toString()).toBe('R\n[1]');
    // A Uint8Array view: only its own bytes, not the rest of its ArrayBuffer.
    const whole = new Uint8Array(Buffer.from('xx{"b":2}yy'));
    expect(encodeFrame('R', whole.subarray(2, 9)).toString()).toBe('R\n{"b":2}');
  });
});

describe('decodeFrame tolerance', () => {
  it.each([
    ['ROOM\n{"a":1}', 'the plain form'],
    ['ROOM\n{"a":1}\n', 'a trailing newline'],
    ['ROOM\n\n{"a":1}', "the original Go hub's blank line"],
    ['ROOM\r\n{"a":1}\r\n', 'CRLF line endings'],
    ['ROOM\n \t\r\n {"a":1} \t\n\n', 'whitespace around the event'],
  ])('reads %j (%s)', (text) => {
    const { room, event } = decodeFrame(bytes(text));
    expect(room).toBe('ROOM');
    expect(event.toString()).toBe('{"a":1}');
  });

  it('keeps spaces inside and around a room id, and newlines inside the event', () => {
    const { room, event } = decodeFrame(bytes(' A B \n{"a":\n1}'));
    expect(room).toBe(' A B ');
    expect(event.toString()).toBe('{"a":\n1}');
  });

  it('reports where the room line ends, before a CRLF', () => {
    expect(decodeRoom(bytes('AB\r\n{}'))).toEqual({ room: 'AB', newlineAt: 3 });
    expect(decodeRoom(bytes('AB\n{}'))).toEqual({ room: 'AB', newlineAt: 2 });
  });

  it('does not parse the event: any non-blank bytes after the room line are returned', () => {
    expect(decodeFrame(bytes('R\nnot json')).event.toString()).toBe('not json');
  });

  it('returns a view of the frame, not a copy', () => {
    const backing = Buffer.alloc(64);
    const frame = backing.subarray(5, 5 + backing.write('ROOM\n\n{"a":1}\n', 5));
    const { event } = decodeFrame(frame);
    expect(event.buffer).toBe(frame.buffer);
    expect(event.byteOffset).toBe(frame.byteOffset + 6);
    expect(event.length).toBe(7);
    frame[frame.length - 2] = 0x5d; // '}' → ']' in the frame shows in the event
    expect(event.toString()).toBe('{"a":1]');
  });
});

describe('decodeFrame rejections', () => {
  const cases: [FrameErrorReason, string, string][] = [
    ['no-newline', 'ROOM{"a":1}', 'no newline at all'],
    ['no-newline', '', 'an empty frame'],
    ['empty-room', '\n{"a":1}', 'an empty room'],
    ['empty-room', '\r\n{"a":1}', 'an empty room before CRLF'],
    ['room-control-character', 'RO\tOM\n{}', 'a tab'],
    ['room-control-character', 'A\u0000\n{}', 'NUL'],
    ['room-control-character', 'A\u007f\n{}', 'DEL'],
    ['room-control-character', 'A\rB\n{}', 'a lone carriage return'],
    ['room-control-character', '\r\r\n{}', 'a carriage return before CRLF'],
    ['room-too-long', `${'x'.repeat(257)}\n{}`, '257 ASCII bytes'],
    ['room-too-long', `${'é'.repeat(129)}\n{}`, '129 two-byte characters (258 bytes)'],
    ['empty-event', 'ROOM\n', 'nothing after the room'],
    ['empty-event', 'ROOM\r\n', 'nothing after CRLF'],
    ['empty-event', 'ROOM\n \t\r\n\n', 'only whitespace after the room'],
  ];

  it.each(cases)('%s: %j (%s)', (reason, text) => {
    const error = frameErrorOf(() => decodeFrame(bytes(text)));
    expect(error.reason).toBe(reason);
    expect(error.name).toBe('FrameError');
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('accepts a room of exactly 256 bytes, multi-byte characters included', () => {
    expect(decodeFrame(bytes(`${'x'.repeat(256)}\n{}`)).room).toHaveLength(256);
    expect(decodeFrame(bytes(`${'é'.repeat(128)}\n{}`)).room).toBe('é'.repeat(128));
  });

  it('frame-too-large: refuses one byte over the limit, before looking for a newline', () => {
    const atLimit = Buffer.alloc(DEFAULT_MAX_FRAME_BYTES, 0x20);
    atLimit.write('R\n{}', 0);
    expect(decodeFrame(atLimit).event.toString()).toBe('{}');
    const over = Buffer.alloc(DEFAULT_MAX_FRAME_BYTES + 1, 0x78); // no newline at all
    expect(frameErrorOf(() => decodeFrame(over)).reason).toBe('frame-too-large');
    expect(frameErrorOf(() => decodeRoom(over)).reason).toBe('frame-too-large');
    const small = { maxFrameBytes: 10, maxRoomBytes: 4 };
    expect(frameErrorOf(() => decodeFrame(bytes('R\n{"abc":1}'), small)).reason).toBe(
      'frame-too-large',
    );
    expect(decodeFrame(bytes('R\n{"a":1}'), small).room).toBe('R');
  });

  it('decodeRoom does not look at the event', () => {
    expect(decodeRoom(bytes('ROOM\n')).room).toBe('ROOM');
    expect(decodeRoom(bytes('ROOM\n\u0000\u0001')).room).toBe('ROOM');
  });
});

describe('decoding arbitrary bytes', () => {
  const smallLimits = fc.record({
    maxFrameBytes: fc.integer({ min: 1, max: 5000 }),
    maxRoomBytes: fc.integer({ min: 1, max: 300 }),
  });

  /** Random bytes, and random bytes shaped like frames (a room line, a separator, a body). */
  const frameBytes = fc.oneof(
    fc.uint8Array({ maxLength: 4096 }),
    fc
      .tuple(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          anyRoom.map((room) => bytes(room)),
        ),
        fc.constantFrom('\n', '\r\n', '\n\n', '\r', ' \n', '\n\r\n'),
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }),
          fc.jsonValue().map((value) => bytes(JSON.stringify(value))),
          fc.constantFrom(bytes(''), bytes(' \t\r\n')),
        ),
      )
      .map(([room, separator, body]) => Buffer.concat([room, bytes(separator), body])),
  );

  /** Decodes `frame`; a refusal must be a FrameError, and what is accepted obeys every rule. */
  const check = (frame: Buffer, limits = DEFAULT_FRAME_LIMITS) => {
    let decoded: ReturnType<typeof decodeFrame>;
    try {
      decoded = decodeFrame(frame, limits);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      return;
    }
    const { room, event } = decoded;
    const newlineAt = frame.indexOf(0x0a);
    const roomEnd = frame[newlineAt - 1] === 0x0d ? newlineAt - 1 : newlineAt;
    const roomBytes = frame.subarray(0, roomEnd);
    expect(frame.length).toBeLessThanOrEqual(limits.maxFrameBytes);
    expect(roomBytes.length).toBeGreaterThan(0);
    expect(roomBytes.length).toBeLessThanOrEqual(limits.maxRoomBytes);
    expect([...roomBytes].some(isControl)).toBe(false);
    expect(room).toBe(roomBytes.toString('utf8'));
    expect(event.length).toBeGreaterThan(0);
    expect(event.buffer).toBe(frame.buffer);
    expect(event.byteOffset).toBeGreaterThan(frame.byteOffset + newlineAt);
    expect(event.byteOffset + event.length).toBeLessThanOrEqual(frame.byteOffset + frame.length);
    for (const edge of [event[0], event[event.length - 1]]) {
      expect([0x20, 0x09, 0x0a, 0x0d]).not.toContain(edge);
    }
  };

  it('throws nothing but FrameError, and what it accepts is well formed (property)', () => {
    fc.assert(
      fc.property(frameBytes, (array) => {
        const frame = Buffer.from(array.buffer, array.byteOffset, array.length);
        check(frame);
        try {
          decodeRoom(frame);
        } catch (error) {
          expect(error).toBeInstanceOf(FrameError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but FrameError under any limits (property)', () => {
    fc.assert(
      fc.property(frameBytes, smallLimits, (array, limits) => {
        check(Buffer.from(array), limits);
      }),
      { numRuns: 300 },
    );
  });

  it('handles crafted frames: invalid UTF-8, lone bytes, only newlines', () => {
    const crafted = [
      Buffer.from([0xff, 0xfe, 0x0a, 0x7b, 0x7d]),
      Buffer.from([0xc3, 0x0a, 0x7b, 0x7d]),
      Buffer.from([0x0a]),
      Buffer.from([0x0a, 0x0a, 0x0a]),
      Buffer.from([0x0d]),
      Buffer.from([0x0d, 0x0a]),
      Buffer.from([0x41, 0x0d, 0x0d, 0x0a, 0x31]),
      Buffer.alloc(0),
    ];
    for (const frame of crafted) check(frame);
    // Invalid UTF-8 in a room is not refused: it decodes with replacement characters.
    expect(decodeFrame(crafted[0]).room).toBe('\ufffd\ufffd');
  });
});

describe('isValidRoom / assertValidRoom', () => {
  it('accepts rooms a frame can carry', () => {
    for (const room of ['ITB-1101', '*', 'a b', 'é', '日本語', '🎉', 'x'.repeat(256)]) {
      expect(isValidRoom(room)).toBe(true);
      expect(() => assertValidRoom(room)).not.toThrow();
    }
  });

  it('refuses what is not a string, empty, too long or with control characters', () => {
    for (const room of [undefined, null, 5, {}, ['A'], '', 'x'.repeat(257), 'A\tB', 'A\r']) {
      expect(isValidRoom(room)).toBe(false);
    }
    expect(frameErrorOf(() => assertValidRoom('')).reason).toBe('empty-room');
    expect(frameErrorOf(() => assertValidRoom('A\u0001')).reason).toBe('room-control-character');
    expect(frameErrorOf(() => assertValidRoom('x'.repeat(257))).reason).toBe('room-too-long');
  });

  it('refuses a room with a newline, or ending in CR (it would be framed as another room)', () => {
    // encodeFrame('A\nB', …) decodes as room "A" with "B\n…" as its event.
    expect(decodeFrame(encodeFrame('A\nB', '{}')).room).toBe('A');
    // A room ending in \r would be read as the room without it.
    expect(decodeFrame(encodeFrame('A\r', '{}')).room).toBe('A');
    for (const room of ['A\nB', 'A\r\nB', 'A\n', '\nA', 'A\r', '\r']) {
      expect(isValidRoom(room)).toBe(false);
      expect(frameErrorOf(() => assertValidRoom(room)).reason).toBe('room-control-character');
    }
  });

  it('is true exactly when a frame of that room decodes back to it (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 20 }), (room) => {
        let roundTrips: boolean;
        try {
          roundTrips = decodeFrame(encodeFrame(room, '{}')).room === room;
        } catch {
          roundTrips = false;
        }
        expect(isValidRoom(room)).toBe(roundTrips);
      }),
      { numRuns: 500 },
    );
  });

  it('BUG: refuses a room holding a lone UTF-16 surrogate, which no frame can carry', () => {
    // JSON "\ud800" parses to a lone surrogate; UTF-8 has no encoding for it, so a frame
    // carries U+FFFD instead, and a subscription to this room can never match an event.
    expect(decodeFrame(encodeFrame('\ud800', '{}')).room).toBe('\ufffd');
    expect(isValidRoom('\ud800')).toBe(false);
  });
});
