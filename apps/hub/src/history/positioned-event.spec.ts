import { PositionedEvent } from './positioned-event';

describe('PositionedEvent', () => {
  it('builds the positioned payload once, the original bytes after the position line', () => {
    const frame = Buffer.from('R\n\n{"a":1}');
    const event = new PositionedEvent(frame, 'E', 3);
    expect(event.payload.toString()).toBe('R\n@E:3\n\n{"a":1}');
    expect(event.payload).toBe(event.payload);
    expect(event.wire).toBe(event.wire);
    expect(Buffer.concat(event.wire as Buffer[]).subarray(-event.payload.length)).toEqual(
      event.payload,
    );
  });
});
