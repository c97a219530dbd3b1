import { encodeConfirmRequest, HubConfirmMessage } from '@ces/protocol';

/** The hub refused a published event; `reason` is its short token (`publish-forbidden`, `rate-limited`…). */
export class PublishRefusedError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    /** The event's sequence number for this publisher. */
    readonly seq: number,
  ) {
    super(message || reason);
    this.name = 'PublishRefusedError';
  }
}

interface Unconfirmed {
  seq: number;
  frame: Uint8Array;
  resolve: () => void;
  reject: (error: Error) => void;
  /** Refused and reported: its promise is settled, it stays until a confirm covers it. */
  refused: boolean;
  /** Connections it was written on that closed before it was settled. */
  attempts: number;
}

export interface PublishConfirmsLimits {
  maxEvents: number;
  maxBytes: number;
  /** An event written on this many connections, each closed before it was settled, is given up. */
  maxAttempts: number;
}

/**
 * One hub's publish confirms for this client (docs/protocol.md §4.4): every event published
 * through that hub, numbered, held until the hub confirms or refuses it, and written again
 * after each reconnect from the oldest one not settled. Pure: the client does the sending.
 *
 * Held events keep consecutive sequences (they go only from the front), so the frames written
 * after a confirm request are numbered exactly as the hub counts them.
 */
export class PublishConfirms {
  private entries: Unconfirmed[] = [];
  private head = 0;
  private heldBytes = 0;
  private nextSeq = 1;
  /** The highest sequence written on the current connection. */
  private writtenUpTo = 0;

  constructor(
    readonly publisher: string,
    private readonly limits: PublishConfirmsLimits,
  ) {}

  /** Events held: not yet confirmed (refused ones included until a confirm covers them). */
  get size(): number {
    return this.entries.length - this.head;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * A new event: the promise resolves when the hub confirms it and rejects with the hub's
   * reason when it refuses it; it rejects at once when the buffer is full.
   */
  add(frame: Uint8Array): Promise<void> {
    const { maxEvents, maxBytes } = this.limits;
    if (this.size >= maxEvents || this.heldBytes + frame.length > maxBytes)
      return Promise.reject(
        new Error(
          `the publish buffer is full (${this.size} events, ${this.heldBytes} bytes not confirmed)`,
        ),
      );
    return new Promise<void>((resolve, reject) => {
      this.entries.push({
        seq: this.nextSeq++,
        frame,
        resolve,
        reject,
        refused: false,
        attempts: 0,
      });
      this.heldBytes += frame.length;
    });
  }

  /**
   * A connection to the hub opened: the confirm request to send before anything else. Every
   * held event is written again after it, oldest first; one written on `maxAttempts`
   * connections that all closed before it was settled (say, one the hub closes the socket
   * for) is given up, so it cannot stall the others forever.
   */
  opened(): string {
    for (let first = this.first(); first; first = this.first()) {
      if (first.attempts < this.limits.maxAttempts) break;
      this.removeFirst();
      if (!first.refused)
        first.reject(new Error(`not confirmed after ${first.attempts} connections; given up`));
    }
    this.writtenUpTo = (this.first()?.seq ?? this.nextSeq) - 1;
    return encodeConfirmRequest({ publisher: this.publisher, next: this.writtenUpTo + 1 });
  }

  /** The next held event to write on the open connection, if any. */
  nextToWrite(): Uint8Array | undefined {
    const first = this.first();
    if (!first) return undefined;
    return this.entries[this.head + this.writtenUpTo + 1 - first.seq]?.frame;
  }

  /** The frame `nextToWrite` gave was written. */
  written(): void {
    const first = this.first()!;
    this.entries[this.head + this.writtenUpTo + 1 - first.seq].attempts++;
    this.writtenUpTo++;
  }

  /** A confirm message from the hub. The reply to the request says nothing to act on: the
   * hub drops what it had taken, and confirms it with the rest. */
  receive(message: HubConfirmMessage): void {
    if (message.type === 'confirmed') this.confirm(message.confirmed);
    else if (message.type === 'refused') this.refuse(message.seq, message.reason, message.message);
  }

  /** The client closes: nothing held will be confirmed. */
  failAll(error: Error): void {
    for (let first = this.first(); first; first = this.first()) {
      this.removeFirst();
      if (!first.refused) first.reject(error);
    }
  }

  private confirm(upTo: number): void {
    for (let first = this.first(); first && first.seq <= upTo; first = this.first()) {
      this.removeFirst();
      if (!first.refused) first.resolve();
    }
  }

  private refuse(seq: number, reason: string, message: string): void {
    const first = this.first();
    const entry = first && this.entries[this.head + seq - first.seq];
    if (!entry || entry.seq !== seq || entry.refused) return;
    entry.refused = true;
    entry.reject(new PublishRefusedError(reason, message, seq));
  }

  private first(): Unconfirmed | undefined {
    return this.head < this.entries.length ? this.entries[this.head] : undefined;
  }

  private removeFirst(): void {
    const first = this.entries[this.head];
    this.entries[this.head] = undefined as unknown as Unconfirmed;
    this.head++;
    this.heldBytes -= first.frame.length;
    // Compact once the consumed part dominates: amortised O(1), and the array does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
