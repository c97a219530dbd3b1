/**
 * Which events of one socket have been processed, for `{"ack": N}`: N promises the first N
 * events, so the count advances only over a gap-free run even when handlers finish out of order.
 */
export class AckTracker {
  private readonly done = new Set<number>();
  private contiguous = 0;

  /** How many events, counted from the first, are all processed. */
  get upTo(): number {
    return this.contiguous;
  }

  /** Event number `sequence` (1-based) is processed; returns whether `upTo` moved. */
  processed(sequence: number): boolean {
    if (sequence <= this.contiguous) return false;
    this.done.add(sequence);
    const before = this.contiguous;
    while (this.done.delete(this.contiguous + 1)) this.contiguous++;
    return this.contiguous > before;
  }
}
