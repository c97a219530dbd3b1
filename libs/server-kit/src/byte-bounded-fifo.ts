/** What a full FIFO does with one more item: drop its oldest until the new one fits, or refuse it. */
export type OverflowPolicy = 'drop-oldest' | 'refuse-newest';

/**
 * A FIFO bounded by count and by bytes, the queue behind every buffer of both servers that
 * waits for something slower (a send-map target, NATS). An item larger than the byte bound
 * on its own is never kept.
 */
export class ByteBoundedFifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private byteCount = 0;

  constructor(
    private readonly maxItems: number,
    private readonly maxBytes: number,
    private readonly bytesOf: (item: T) => number,
    private readonly policy: OverflowPolicy,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.byteCount;
  }

  /** Adds an item; returns how many items the bounds cost (the new one, when it was refused). */
  push(item: T): number {
    const bytes = this.bytesOf(item);
    if (bytes > this.maxBytes) return 1;
    const full = this.size >= this.maxItems || this.byteCount + bytes > this.maxBytes;
    if (full && this.policy === 'refuse-newest') return 1;
    this.items.push(item);
    this.byteCount += bytes;
    let dropped = 0;
    while (this.size > this.maxItems || this.byteCount > this.maxBytes) {
      this.shift();
      dropped++;
    }
    return dropped;
  }

  /** The oldest item, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head++] = undefined;
    this.byteCount -= this.bytesOf(item);
    // Compact now and then rather than shifting the array once per item.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Every item, oldest first, removed. */
  drain(): T[] {
    const all = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    this.byteCount = 0;
    return all;
  }
}
