import { PublisherRecord } from './publisher-book';

/** An event whose confirm waits for the cluster's stream: true once it took every copy. */
export interface PendingStreamPut {
  seq: number;
  taken: Promise<boolean>;
}

/**
 * One connection's publish confirms: the sequence of each event frame it sends, what is
 * settled on it and what it has been told. Pure; the confirms service does the sending.
 */
export class ConfirmSession {
  /** The highest sequence settled on this connection: taken, dropped as a resend, or refused. */
  settled: number;
  /** The highest `{"confirmed":N}` sent. */
  confirmed: number;
  /** A refusal or confirm could not be sent: nothing more is taken, the connection is closing. */
  broken = false;
  /** Queued for this turn's confirm already. */
  queued = false;
  /** Events settled since the last turn that wait for the cluster's stream to take them. */
  streamPuts: PendingStreamPut[] = [];
  /** The last confirm under way: the next one is sent after it, never before. */
  lastConfirm: Promise<unknown> = Promise.resolve();
  private next: number;

  constructor(
    readonly record: PublisherRecord,
    next: number,
  ) {
    this.next = next;
    this.settled = next - 1;
    this.confirmed = next - 1;
  }

  get publisher(): string {
    return this.record.publisher;
  }

  /** Numbers the next event frame of the connection. */
  number(): number {
    return this.next++;
  }

  /** True when the hub has taken this sequence of the publisher already (a resend). */
  isResend(seq: number): boolean {
    return seq <= this.record.taken;
  }

  /** The event of this sequence is settled: taken, dropped as a resend, or refused and reported. */
  settle(seq: number): void {
    this.settled = seq;
    if (seq > this.record.taken) this.record.taken = seq;
  }

  /** The confirm to send for what was settled up to `upTo`, if any is due. */
  due(upTo = this.settled): number | undefined {
    return this.broken || upTo <= this.confirmed ? undefined : upTo;
  }
}
