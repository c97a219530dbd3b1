/**
 * Frames waiting for a hub, oldest first, bounded in count and in bytes: adding past either
 * bound evicts the oldest frames (a frame larger than the whole byte budget is itself dropped).
 */
export class OutboundBuffer {
  private frames: Uint8Array[] = [];
  private head = 0;
  private totalBytes = 0;

  constructor(
    readonly maxFrames: number,
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.frames.length - this.head;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Adds a frame; returns how many frames were dropped to respect the bounds (this one included). */
  push(frame: Uint8Array): number {
    if (this.maxFrames === 0 || frame.length > this.maxBytes) return 1;
    let dropped = 0;
    while (this.size >= this.maxFrames || this.totalBytes + frame.length > this.maxBytes) {
      this.shift();
      dropped++;
    }
    this.frames.push(frame);
    this.totalBytes += frame.length;
    return dropped;
  }

  /** The oldest frame, left in place. */
  peek(): Uint8Array | undefined {
    return this.frames[this.head];
  }

  shift(): Uint8Array | undefined {
    if (this.size === 0) return undefined;
    const frame = this.frames[this.head]!;
    this.frames[this.head] = undefined as unknown as Uint8Array;
    this.head++;
    this.totalBytes -= frame.length;
    // Compact once the consumed part dominates: amortised O(1), and the array does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
    return frame;
  }
}
