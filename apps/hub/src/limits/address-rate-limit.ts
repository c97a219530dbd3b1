import { TokenBucket } from './token-bucket';

/** Addresses remembered at most; beyond it the oldest is forgotten (a fresh bucket is full). */
const MAX_ADDRESSES = 10_000;

/**
 * The publish rate limit for callers without a socket (`POST /event`): one token bucket per
 * remote address, with the same rate and burst as a connection's.
 */
export class AddressRateLimit {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /** False when the address is over its rate (and always true when the limit is off). */
  take(address: string): boolean {
    if (this.rate <= 0) return true;
    let bucket = this.buckets.get(address);
    if (!bucket) {
      if (this.buckets.size >= MAX_ADDRESSES)
        this.buckets.delete(this.buckets.keys().next().value!);
      this.buckets.set(address, (bucket = new TokenBucket(this.rate, this.burst)));
    }
    return bucket.take();
  }
}
