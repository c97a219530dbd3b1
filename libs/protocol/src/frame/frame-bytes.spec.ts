import fc from 'fast-check';
import { decodeFrame, encodeFrame, isValidRoom } from './frame-codec';
import { FrameError } from './frame-error';
import { decodeFrameBytes, encodeFrameBytes, isValidRoomBytes, utf8Text } from './frame-bytes';

describe('the Buffer-free frame codec', () => {
  it('writes the same bytes as encodeFrame and reads frames the same way (property)', () => {
    const room = fc.string({ minLength: 1, maxLength: 40 }).filter((r) => isValidRoom(r));
    const event = fc.oneof(
      fc.jsonValue().filter((v) => v !== null),
      fc.string({ minLength: 1 }),
    );
    fc.assert(
      fc.property(room, event, (r, e) => {
        const portable = encodeFrameBytes(r, e);
        expect(Buffer.from(portable)).toEqual(encodeFrame(r, e));
        const bufferCodec = (() => {
          try {
            return decodeFrame(encodeFrame(r, e));
          } catch (error) {
            return error as FrameError;
          }
        })();
        if (bufferCodec instanceof FrameError) {
          expect(() => decodeFrameBytes(portable)).toThrow(bufferCodec.message);
        } else {
          const decoded = decodeFrameBytes(portable);
          expect(decoded.room).toBe(bufferCodec.room);
          expect(utf8Text(decoded.event)).toBe(bufferCodec.event.toString('utf8'));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tolerates the original hub’s blank line and CRLF, and refuses what decodeFrame refuses', () => {
    const text = (frame: string) => {
      const { room, event } = decodeFrameBytes(new TextEncoder().encode(frame));
      return [room, utf8Text(event)];
    };
    expect(text('ITB-1101\n\n{"a":1}')).toEqual(['ITB-1101', '{"a":1}']);
    expect(text('R\r\n{"a":1}\r\n')).toEqual(['R', '{"a":1}']);
    for (const bad of ['no newline', '\n{}', 'R\n  ', `${'r'.repeat(257)}\n{}`, 'a\tb\n{}']) {
      expect(() => decodeFrameBytes(new TextEncoder().encode(bad))).toThrow(FrameError);
    }
  });

  it('judges rooms as isValidRoom does', () => {
    for (const room of [
      'ITB-1101',
      '*',
      'a\nb',
      'a\rb',
      '',
      'x'.repeat(256),
      'x'.repeat(257),
      '\ud800',
      7,
    ]) {
      expect(isValidRoomBytes(room)).toBe(isValidRoom(room));
    }
  });
});
