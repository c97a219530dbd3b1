import { CloseCodes } from '@ces/protocol';
import { PeerGrants } from '@ces/server-kit';
import { WebSocket } from 'ws';
import { ReadProgress } from '../egress/read-progress';

/**
 * A socket an outside system opened to this repeater: what its token grants, and every frame
 * sent to it counted against its byte budget (events, error replies and pings alike).
 */
export class OutsideConnection {
  readonly connectedAt = new Date();
  lastActivityAt = Date.now();
  eventsIn = 0;
  eventsOut = 0;
  rejected = 0;
  dropped = 0;
  /** A ping is out and its pong has not come back. */
  awaitingPong = false;
  /** Closed by the repeater; no more frames are sent to it. */
  closing = false;
  readonly progress: ReadProgress;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    readonly socket: WebSocket,
    /** The `:room` it connected with; `*` for every room, undefined on `/connect`. */
    readonly room: string | undefined,
    readonly id: string,
    readonly remoteAddress: string,
    readonly remoteIp: string,
    readonly grants: PeerGrants,
    highWaterBytes: number,
  ) {
    this.progress = new ReadProgress(socket, highWaterBytes);
    socket.on('pong', () => (this.awaitingPong = false));
  }

  get isOpen(): boolean {
    return !this.closing && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends an event frame unless the socket is over its budget; false when it was dropped. */
  sendEvent(frame: Buffer): boolean {
    if (!this.isOpen) return false;
    if (this.progress.overBudget) {
      this.dropped++;
      return false;
    }
    this.socket.send(frame, { binary: true });
    this.progress.wrote(frame.length);
    this.eventsOut++;
    this.touch();
    return true;
  }

  /** A short error reply (text); it counts against the budget like an event. */
  sendError(error: string, details: unknown[]): void {
    if (!this.isOpen || this.progress.overBudget) return;
    const text = JSON.stringify({ error, details });
    this.socket.send(text);
    this.progress.wrote(Buffer.byteLength(text));
  }

  ping(): void {
    if (!this.isOpen) return;
    this.awaitingPong = true;
    this.socket.ping();
    this.progress.wrote(0);
  }

  /** Closes with a code; a peer that reads nothing will not read the close frame, so it is cut after `graceMs`. */
  closeWith(code: number, reason: string, graceMs: number): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), graceMs).unref();
  }

  /** Closes the socket after `timeoutMs` with no event either way. */
  startIdleTimer(timeoutMs: number): void {
    this.idleTimer = setTimeout(() => {
      this.socket.close(CloseCodes.normal, `idle for ${timeoutMs} ms`);
    }, timeoutMs);
    this.idleTimer.unref();
  }

  touch(): void {
    this.lastActivityAt = Date.now();
    this.idleTimer?.refresh();
  }

  stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
  }
}
