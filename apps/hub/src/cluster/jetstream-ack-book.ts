/** A message a member was given: acknowledged once the member's ack count reaches `sequence`. */
interface Given<H> {
  /** The member's event count once this message was written to it. */
  sequence: number;
  handle: H;
}

/**
 * Maps our protocol's acknowledgement by count onto per-message acknowledgements: each
 * member's messages in the order it was given them, with the member's event count after
 * each. `{"ack": N}` acknowledges, in order, every message whose count is at most N.
 */
export class JetStreamAckBook<M, H> {
  private readonly given = new Map<M, Given<H>[]>();

  /** `handle` was written to `member`, whose event count is now `sequence`. */
  delivered(member: M, sequence: number, handle: H): void {
    let pending = this.given.get(member);
    if (!pending) this.given.set(member, (pending = []));
    pending.push({ sequence, handle });
  }

  /** The messages `{"ack": count}` acknowledges, oldest first (none twice). */
  acknowledge(member: M, count: number): H[] {
    const pending = this.given.get(member);
    if (!pending) return [];
    let done = 0;
    while (done < pending.length && pending[done].sequence <= count) done++;
    if (done === 0) return [];
    const acked = pending.splice(0, done).map((each) => each.handle);
    if (pending.length === 0) this.given.delete(member);
    return acked;
  }

  /** The member left: what it had not acknowledged, oldest first, to be given again. */
  left(member: M): H[] {
    const pending = this.given.get(member);
    this.given.delete(member);
    return pending ? pending.map((each) => each.handle) : [];
  }

  pendingOf(member: M): number {
    return this.given.get(member)?.length ?? 0;
  }

  get pending(): number {
    let count = 0;
    for (const each of this.given.values()) count += each.length;
    return count;
  }
}
