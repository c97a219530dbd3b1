import { OutboundBuffer } from './outbound-buffer';

const frame = (bytes: number, mark = 0) => new Uint8Array(bytes).fill(mark);

describe('OutboundBuffer', () => {
  it('keeps order and evicts the oldest past its count', () => {
    const buffer = new OutboundBuffer(3, 1000);
    expect([1, 2, 3, 4].map((n) => buffer.push(frame(1, n)))).toEqual([0, 0, 0, 1]);
    expect(buffer.size).toBe(3);
    expect([buffer.shift()![0], buffer.shift()![0], buffer.shift()![0]]).toEqual([2, 3, 4]);
    expect(buffer.shift()).toBeUndefined();
    expect(buffer.bytes).toBe(0);
  });

  it('evicts as many of the oldest as the bytes of a new frame need', () => {
    const buffer = new OutboundBuffer(100, 10);
    buffer.push(frame(4, 1));
    buffer.push(frame(4, 2));
    expect(buffer.bytes).toBe(8);
    expect(buffer.push(frame(7, 3))).toBe(2);
    expect(buffer.size).toBe(1);
    expect(buffer.bytes).toBe(7);
    expect(buffer.peek()![0]).toBe(3);
  });

  it('drops a frame larger than the whole budget, and everything with no capacity', () => {
    const buffer = new OutboundBuffer(100, 10);
    buffer.push(frame(5));
    expect(buffer.push(frame(11))).toBe(1);
    expect(buffer.size).toBe(1);
    expect(new OutboundBuffer(0, 10).push(frame(1))).toBe(1);
  });

  it('stays correct across compaction', () => {
    const buffer = new OutboundBuffer(5000, 1_000_000);
    for (let n = 0; n < 3000; n++) buffer.push(frame(1, n % 256));
    for (let n = 0; n < 2500; n++) expect(buffer.shift()![0]).toBe(n % 256);
    expect(buffer.size).toBe(500);
    expect(buffer.bytes).toBe(500);
    expect(buffer.peek()![0]).toBe(2500 % 256);
  });
});
