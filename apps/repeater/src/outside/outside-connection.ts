import { WebSocket } from 'ws';

/** A socket an outside system opened to this repeater. */
export class OutsideConnection {
  readonly connectedAt = new Date();
  lastActivityAt = Date.now();
  eventsIn = 0;
  eventsOut = 0;
  rejected = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    readonly socket: WebSocket,
    /** The `:room` it connected with; `*` for every room, undefined on `/connect`. */
    readonly room: string | undefined,
    readonly id: string,
    readonly remoteAddress: string,
  ) {}

  /** Closes the socket after `timeoutMs` with no event either way. */
  startIdleTimer(timeoutMs: number): void {
    this.idleTimer = setTimeout(() => {
      this.socket.close(1000, `idle for ${timeoutMs} ms`);
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
