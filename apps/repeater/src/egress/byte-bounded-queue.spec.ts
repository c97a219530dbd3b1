import { ByteBoundedQueue } from './byte-bounded-queue';

const frame = (bytes: number, fill = 0) => Buffer.alloc(bytes, fill);

describe('ByteBoundedQueue', () => {
  it('keeps frames in order within both bounds', () => {
    const queue = new ByteBoundedQueue(3, 100);
    expect(queue.push(frame(10, 1))).toBe(0);
    expect(queue.push(frame(20, 2))).toBe(0);
    expect(queue).toMatchObject({ size: 2, bytes: 30 });
    expect(queue.shift()![0]).toBe(1);
    expect(queue.drain().map((f) => f[0])).toEqual([2]);
    expect(queue).toMatchObject({ size: 0, bytes: 0 });
  });

  it('drops the oldest frames past the count bound', () => {
    const queue = new ByteBoundedQueue(2, 1000);
    queue.push(frame(1, 1));
    queue.push(frame(1, 2));
    expect(queue.push(frame(1, 3))).toBe(1);
    expect(queue.drain().map((f) => f[0])).toEqual([2, 3]);
  });

  it('drops the oldest frames past the byte bound, and a frame over it on its own', () => {
    const queue = new ByteBoundedQueue(100, 100);
    queue.push(frame(40, 1));
    queue.push(frame(40, 2));
    expect(queue.push(frame(50, 3))).toBe(1);
    expect(queue).toMatchObject({ size: 2, bytes: 90 });
    expect(queue.push(frame(101, 4))).toBe(1);
    expect(queue.drain().map((f) => f[0])).toEqual([2, 3]);
  });
});
