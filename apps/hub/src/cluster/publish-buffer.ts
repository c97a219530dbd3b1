import { ByteBoundedFifo } from '@ces/server-kit';

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
  private readonly fifo: ByteBoundedFifo<BufferedEvent<H>>;
  /** Events refused because the buffer was full, since the hub started. */
  overflowed = 0;

  constructor(maxEvents: number, maxBytes: number) {
    this.fifo = new ByteBoundedFifo<BufferedEvent<H>>(
      maxEvents,
      maxBytes,
      bytesOf,
      'refuse-newest',
    );
  }

  get size(): number {
    return this.fifo.size;
  }

  get bytes(): number {
    return this.fifo.bytes;
  }

  /** False (and counted) when the event would exceed a bound. */
  push(event: BufferedEvent<H>): boolean {
    const lost = this.fifo.push(event);
    this.overflowed += lost;
    return lost === 0;
  }

  /** The oldest event, removed; undefined when empty. */
  shift(): BufferedEvent<H> | undefined {
    return this.fifo.shift();
  }
}

function bytesOf(event: BufferedEvent): number {
  return event.frame.length + event.subject.length;
}
