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
  /** Settled events whose copies are still on their way to the cluster's stream, oldest first. */
  private readonly unstored: number[] = [];

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
    this.advanceTaken();
  }

  /**
   * The event of this sequence has copies on their way to the cluster's stream: the publisher's
   * taken count stays below it until they are there, so that its resend after a crash of the
   * hub is taken again rather than dropped.
   */
  hold(seq: number): void {
    this.unstored.push(seq);
  }

  /** The stream copies of the events up to `upTo` are settled (stored, or refused and reported). */
  release(upTo: number): void {
    let count = 0;
    while (count < this.unstored.length && this.unstored[count] <= upTo) count++;
    this.unstored.splice(0, count);
    this.advanceTaken();
  }

  private advanceTaken(): void {
    const taken =
      this.unstored.length > 0 ? Math.min(this.settled, this.unstored[0] - 1) : this.settled;
    if (taken > this.record.taken) this.record.taken = taken;
  }

  /** The confirm to send for what was settled up to `upTo`, if any is due. */
  due(upTo = this.settled): number | undefined {
    return this.broken || upTo <= this.confirmed ? undefined : upTo;
  }
}
