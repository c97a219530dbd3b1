import { RoomPositions, skipPositionLine } from './room-positions';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('RoomPositions', () => {
  it('remembers the last position of each room from its frames', () => {
    const positions = new RoomPositions();
    expect(positions.noteFrame('R', bytes('R\n@E:1\n{}'))).toEqual({ epoch: 'E', offset: 1 });
    positions.noteFrame('R', bytes('R\n@E:2\n{}'));
    positions.noteFrame('S', bytes('S\n@E:7\n{}'));
    expect(positions.resumeFrom(['R', 'S', 'T'])).toEqual({
      R: { epoch: 'E', offset: 2 },
      S: { epoch: 'E', offset: 7 },
    });
  });

  it('takes a frame without a position as no position', () => {
    const positions = new RoomPositions();
    expect(positions.noteFrame('R', bytes('R\n{"a":1}'))).toBeUndefined();
    expect(positions.resumeFrom(['R'])).toBeUndefined();
  });

  it('starts again from the hub position after a refusal, and drops rooms without history', () => {
    const positions = new RoomPositions();
    positions.set('R', { epoch: 'E', offset: 3 });
    positions.set('S', { epoch: 'E', offset: 3 });
    positions.applyReport({ room: 'R', recovered: false, reason: 'gap', epoch: 'F', offset: 90 });
    positions.applyReport({
      room: 'S',
      recovered: false,
      reason: 'not-a-history-room',
      epoch: 'F',
      offset: 0,
    });
    expect(positions.resumeFrom(['R', 'S'])).toEqual({ R: { epoch: 'F', offset: 90 } });
  });

  it('keeps the position a recovery goes on from', () => {
    const positions = new RoomPositions();
    positions.set('R', { epoch: 'E', offset: 3 });
    positions.applyReport({ room: 'R', recovered: true, epoch: 'E', offset: 9, events: 6 });
    expect(positions.get('R')).toEqual({ epoch: 'E', offset: 3 });
  });
});

describe('skipPositionLine', () => {
  it('gives the event after the position line and blank lines', () => {
    const event = skipPositionLine(bytes('@E:1\n\n{"a":1}'));
    expect(new TextDecoder().decode(event)).toBe('{"a":1}');
  });
});
