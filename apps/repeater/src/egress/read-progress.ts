/** A websocket as far as back-pressure goes: the bytes written to it and not yet taken by the peer. */
export interface BufferedSocket {
  readonly bufferedAmount: number;
}

/** Bytes of a server frame's header for a payload of this size (server frames are unmasked). */
function headerBytes(payload: number): number {
  if (payload < 126) return 2;
  return payload < 65536 ? 4 : 10;
}

/**
 * Judges a peer by what it reads, not by what it sends: every frame written is counted, and
 * at each check the bytes the peer has taken since the last one tell whether it reads. A peer
 * is stalled while it is over its byte budget, or has bytes waiting and read none of them.
 */
export class ReadProgress {
  private written = 0;
  private takenAtLastCheck = 0;
  private stalledSince?: number;

  constructor(
    private readonly socket: BufferedSocket,
    private readonly budgetBytes: number,
  ) {}

  /** True when the peer is over its budget: new events for it are dropped. */
  get overBudget(): boolean {
    return this.socket.bufferedAmount > this.budgetBytes;
  }

  /** Counts a frame written to the socket. */
  wrote(payloadBytes: number): void {
    this.written += payloadBytes + headerBytes(payloadBytes);
  }

  /** How long (ms) the peer has been stalled as of `now`; 0 when it is keeping up. */
  check(now: number): number {
    const buffered = this.socket.bufferedAmount;
    const taken = this.written - buffered;
    const reads = taken > this.takenAtLastCheck;
    this.takenAtLastCheck = Math.max(taken, this.takenAtLastCheck);
    if (buffered <= this.budgetBytes && (buffered === 0 || reads)) {
      this.stalledSince = undefined;
      return 0;
    }
    this.stalledSince ??= now;
    return now - this.stalledSince;
  }
}
