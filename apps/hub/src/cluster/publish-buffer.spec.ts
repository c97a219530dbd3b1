import { PublishBuffer } from './publish-buffer';

const event = (subject: string, bytes: number) => ({
  subject,
  frame: Buffer.alloc(bytes),
  headers: undefined,
});

describe('the buffer of events for the cluster', () => {
  it('gives events back oldest first', () => {
    const buffer = new PublishBuffer(10, 1000);
    for (const subject of ['a', 'b', 'c']) buffer.push(event(subject, 9));
    expect(buffer.size).toBe(3);
    expect(buffer.bytes).toBe(30);
    expect([buffer.shift(), buffer.shift(), buffer.shift()].map((e) => e?.subject)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(buffer.shift()).toBeUndefined();
    expect(buffer.bytes).toBe(0);
  });

  it.each([
    ['count', 2, 1000, [1, 1, 1], 4],
    ['bytes, subject included', 100, 20, [9, 9, 0], 20],
  ])(
    'refuses and counts what would pass its %s',
    (_bound, maxEvents, maxBytes, [first, second, refused], bytesKept) => {
      const buffer = new PublishBuffer(maxEvents, maxBytes);
      expect(buffer.push(event('a', first))).toBe(true);
      expect(buffer.push(event('b', second))).toBe(true);
      expect(buffer.push(event('c', refused))).toBe(false);
      expect(buffer.overflowed).toBe(1);
      expect(buffer.bytes).toBe(bytesKept);
      expect(buffer.shift()?.subject).toBe('a');
      expect(buffer.push(event('d', 1))).toBe(true);
    },
  );

  it('keeps its order across many events', () => {
    const buffer = new PublishBuffer(5000, 1_000_000);
    const out: string[] = [];
    for (let n = 0; n < 4000; n++) {
      buffer.push(event(String(n), 1));
      if (n % 3 === 0) out.push(buffer.shift()!.subject);
    }
    for (let e = buffer.shift(); e; e = buffer.shift()) out.push(e.subject);
    expect(out).toEqual(Array.from({ length: 4000 }, (_, n) => String(n)));
  });
});
