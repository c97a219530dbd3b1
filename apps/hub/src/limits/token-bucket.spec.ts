import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([1, 2, 3, 4].map(() => bucket.take())).toEqual([true, true, true, false]);
    now += 100; // 10/s → one token per 100 ms
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 10_000;
    expect([1, 2, 3, 4].map(() => bucket.take())).toEqual([true, true, true, false]);
  });
});
