/** An event waiting for the cluster: where it goes, its bytes as received, its headers. */
export interface BufferedEvent<H = unknown> {
  readonly subject: string;
  readonly frame: Buffer;
  readonly headers: H;
}

/**
 * Events for the cluster kept while NATS is unreachable, oldest first, bounded in count
 * and bytes. An event that does not fit is refused and counted (the newest is the one
 * lost: what waits keeps its order).
 */
export class PublishBuffer<H = unknown> {
  private queue: BufferedEvent<H>[] = [];
  private head = 0;
  private bytesHeld = 0;
  /** Events refused because the buffer was full, since the hub started. */
  overflowed = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  /** False (and counted) when the event would exceed a bound. */
  push(event: BufferedEvent<H>): boolean {
    const bytes = event.frame.length + event.subject.length;
    if (this.size >= this.maxEvents || this.bytesHeld + bytes > this.maxBytes) {
      this.overflowed++;
      return false;
    }
    this.queue.push(event);
    this.bytesHeld += bytes;
    return true;
  }

  /** The oldest event, removed; undefined when empty. */
  shift(): BufferedEvent<H> | undefined {
    if (this.head >= this.queue.length) return undefined;
    const event = this.queue[this.head];
    this.queue[this.head++] = undefined as unknown as BufferedEvent<H>;
    this.bytesHeld -= event.frame.length + event.subject.length;
    // Compact now and then rather than shifting the array once per event.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return event;
  }
}
