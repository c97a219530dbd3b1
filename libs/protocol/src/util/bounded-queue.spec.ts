import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('keeps order and evicts the oldest beyond its capacity', () => {
    const queue = new BoundedQueue<number>(3);
    expect([1, 2, 3].map((n) => queue.push(n))).toEqual([false, false, false]);
    expect(queue.push(4)).toBe(true);
    expect(queue.size).toBe(3);
    expect(queue.shift()).toBe(2);
    queue.push(5);
    expect(queue.drain()).toEqual([3, 4, 5]);
    expect(queue.size).toBe(0);
  });

  it('keeps nothing with no capacity', () => {
    const queue = new BoundedQueue<number>(0);
    expect(queue.push(1)).toBe(true);
    expect(queue.drain()).toEqual([]);
  });
});
