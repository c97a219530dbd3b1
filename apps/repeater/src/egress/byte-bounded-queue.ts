/**
 * A FIFO of frames bounded by count and by bytes: pushing past either bound drops the oldest
 * frames until both hold again. A frame larger than the byte bound on its own is dropped.
 */
export class ByteBoundedQueue {
  private readonly items: Buffer[] = [];
  private head = 0;
  private byteCount = 0;

  constructor(
    private readonly maxItems: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.byteCount;
  }

  /** Adds a frame; returns how many frames were dropped to make room (the frame itself included). */
  push(item: Buffer): number {
    if (item.length > this.maxBytes) return 1;
    this.items.push(item);
    this.byteCount += item.length;
    let dropped = 0;
    while (this.size > this.maxItems || this.byteCount > this.maxBytes) {
      this.shift();
      dropped++;
    }
    return dropped;
  }

  shift(): Buffer | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as unknown as Buffer;
    this.byteCount -= item.length;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }

  drain(): Buffer[] {
    const all = this.items.slice(this.head);
    this.items.length = 0;
    this.head = 0;
    this.byteCount = 0;
    return all;
  }
}
