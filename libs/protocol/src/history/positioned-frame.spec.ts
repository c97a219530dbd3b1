import { decodeRoomBytes } from '../frame';
import {
  encodePositionedFrame,
  positionLine,
  readFramePosition,
  withoutPosition,
} from './positioned-frame';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('positioned frames', () => {
  it('inserts the position line after the room line, the rest unchanged', () => {
    const frame = bytes('ITB-1101\n{"k":"v"}');
    const positioned = encodePositionedFrame(frame, 8, { epoch: 'e1x', offset: 42 });
    expect(text(positioned)).toBe('ITB-1101\n@e1x:42\n{"k":"v"}');
  });

  it("keeps the Go hub's blank line and CRLF room lines as they came", () => {
    const frame = bytes('R\r\n\n{}');
    const { newlineAt } = decodeRoomBytes(frame);
    expect(text(encodePositionedFrame(frame, newlineAt, { epoch: 'E', offset: 1 }))).toBe(
      'R\r\n@E:1\n\n{}',
    );
  });

  it('reads back the position and removes it to give the original bytes', () => {
    const frame = bytes('A\n{"x":1}');
    const positioned = encodePositionedFrame(frame, 1, { epoch: 'abc-1', offset: 9007 });
    const position = readFramePosition(positioned, 1);
    expect(position).toEqual({ epoch: 'abc-1', offset: 9007, lineStart: 2, lineEnd: 14 });
    expect(withoutPosition(positioned, position!)).toEqual(frame);
  });

  it('reads a frame without a position line as a plain frame', () => {
    expect(readFramePosition(bytes('A\n{"x":1}'), 1)).toBeUndefined();
    expect(readFramePosition(bytes('A\n@nocolon\n{}'), 1)).toBeUndefined();
    expect(readFramePosition(bytes('A\n@e:12x\n{}'), 1)).toBeUndefined();
    expect(readFramePosition(bytes('A\n@:12\n{}'), 1)).toBeUndefined();
    expect(readFramePosition(bytes('A\n@e:1'), 1)).toBeUndefined();
  });

  it('encodes the position line', () => {
    expect(text(positionLine({ epoch: 'q', offset: 0 }))).toBe('@q:0\n');
  });
});
