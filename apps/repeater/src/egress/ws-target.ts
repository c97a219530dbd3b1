import { Logger } from '@nestjs/common';
import { BoundedQueue, encodeFrame } from '@ces/protocol';
import { WebSocket } from 'ws';
import { Target, TargetStats } from './target-stats';

export interface WsTargetOptions {
  repeaterId: string;
  idleTimeoutMs: number;
  queueLimit: number;
  maxPayload: number;
}

/**
 * A websocket outside system. Dialed when an event comes for it (at
 * `<address>/connect/<room>/<repeater id>`, as the original repeater does, unless the
 * address has a path of its own), reused while in use, closed after the idle timeout,
 * and dialed again by the next event. Events wait in a bounded queue while it connects.
 */
export class WsTarget implements Target {
  private readonly logger = new Logger(WsTarget.name);
  private readonly queue: BoundedQueue<Buffer>;
  private socket?: WebSocket;
  private idleTimer?: NodeJS.Timeout;
  private readonly counts = { sent: 0, failed: 0, dropped: 0 };
  private lastError?: string;

  constructor(
    readonly address: string,
    private readonly options: WsTargetOptions,
  ) {
    this.queue = new BoundedQueue(options.queueLimit);
  }

  deliver(room: string, event: Buffer): void {
    const frame = encodeFrame(room, event);
    if (this.socket?.readyState === WebSocket.OPEN) return this.write(frame);
    if (this.queue.push(frame)) this.counts.dropped++;
    if (!this.socket) this.dial(room);
  }

  stats(): TargetStats {
    const states = ['connecting', 'open', 'closing', 'closed'];
    return {
      address: this.address,
      kind: 'ws',
      state: this.socket ? states[this.socket.readyState] : 'idle',
      queued: this.queue.size,
      ...this.counts,
      lastError: this.lastError,
    };
  }

  close(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.socket?.close(1001, 'repeater is shutting down');
    this.socket = undefined;
    this.queue.drain();
  }

  private dial(room: string): void {
    const socket = new WebSocket(this.urlFor(room), {
      perMessageDeflate: false,
      maxPayload: this.options.maxPayload,
      handshakeTimeout: this.options.idleTimeoutMs,
    });
    this.socket = socket;
    socket.on('open', () => {
      for (const frame of this.queue.drain()) this.write(frame);
    });
    socket.on('message', () => this.touch());
    socket.on('error', (error) => (this.lastError = error.message));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      const lost = this.queue.drain().length;
      if (lost > 0) {
        this.counts.failed += lost;
        this.logger.warn(
          `could not deliver ${lost} event(s) to ${this.address}: ${this.lastError ?? 'closed'}`,
        );
      }
    });
  }

  private write(frame: Buffer): void {
    this.socket!.send(frame, { binary: true });
    this.counts.sent++;
    this.touch();
  }

  private touch(): void {
    if (this.idleTimer) return void this.idleTimer.refresh();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      this.socket?.close(1000, 'idle timeout');
    }, this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private urlFor(room: string): string {
    const url = new URL(this.address);
    if (url.pathname !== '/' && url.pathname !== '') return url.toString();
    url.pathname = `/connect/${encodeURIComponent(room)}/${encodeURIComponent(this.options.repeaterId)}`;
    return url.toString();
  }
}
