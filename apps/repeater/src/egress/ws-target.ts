import { Logger } from '@nestjs/common';
import { CloseCodes, encodeFrame } from '@ces/protocol';
import { WebSocket } from 'ws';
import { ByteBoundedQueue } from './byte-bounded-queue';
import { ReadProgress } from './read-progress';
import { LastError, Target, TargetStats } from './target-stats';

export interface WsTargetOptions {
  repeaterId: string;
  idleTimeoutMs: number;
  queue: { maxEvents: number; maxBytes: number };
  maxPayload: number;
  /** Bytes queued on the open socket above which events are dropped. */
  highWaterBytes: number;
  /** Stalled (over the high-water mark, or reading nothing) this long: closed with 4008. */
  slowConsumerMs: number;
}

/**
 * Rooms that cannot name a path segment: `.` and `..` are dot segments (a URL parser removes
 * them, with their encoded forms `%2e`), and `*` means every room to a repeater.
 */
const UNSAFE_SEGMENT_ROOMS = new Set(['.', '..', '*']);

/**
 * Where a ws target is dialed for an event of `room`: the address as is when it has a path of
 * its own, else `<address>/connect/<encodeURIComponent(room)>/<repeater id>` as the original
 * repeater does. A room that cannot be a path segment (`.`, `..`, `*`) is dialed at `/connect`,
 * the send-only endpoint: it can neither move the dial elsewhere nor make the target's repeater
 * stream every room back. Never returns a URL whose path differs from the one built.
 */
export function targetUrl(address: string, room: string, repeaterId: string): string {
  const url = new URL(address);
  if (url.pathname !== '/' && url.pathname !== '') return url.toString();
  const path = UNSAFE_SEGMENT_ROOMS.has(room)
    ? '/connect'
    : `/connect/${encodeURIComponent(room)}/${encodeURIComponent(repeaterId)}`;
  url.pathname = path;
  if (url.pathname !== path) throw new Error(`room ${JSON.stringify(room)} cannot name a path`);
  return url.toString();
}

/**
 * A websocket outside system. Dialed when an event comes for it (see targetUrl), reused while
 * in use, closed after the idle timeout, and dialed again by the next event. Events wait in a
 * queue bounded by count and bytes while it connects; on the open socket, events beyond the
 * high-water mark are dropped, and a socket that stays stalled is closed with 4008.
 */
export class WsTarget implements Target {
  private readonly logger = new Logger(WsTarget.name);
  private readonly queue: ByteBoundedQueue;
  private socket?: WebSocket;
  private progress?: ReadProgress;
  private idleTimer?: NodeJS.Timeout;
  private stallTimer?: NodeJS.Timeout;
  private readonly counts = { sent: 0, failed: 0, dropped: 0, slowConsumer: 0 };
  private readonly lastError = new LastError();

  constructor(
    readonly address: string,
    private readonly options: WsTargetOptions,
  ) {
    this.queue = new ByteBoundedQueue(options.queue.maxEvents, options.queue.maxBytes);
  }

  deliver(room: string, event: Buffer): void {
    const frame = encodeFrame(room, event);
    if (this.socket?.readyState === WebSocket.OPEN) return this.write(frame);
    this.counts.dropped += this.queue.push(frame);
    if (!this.socket) this.dial(room);
  }

  stats(): TargetStats {
    const states = ['connecting', 'open', 'closing', 'closed'];
    return {
      address: this.address,
      kind: 'ws',
      state: this.socket ? states[this.socket.readyState] : 'idle',
      queued: this.queue.size,
      queuedBytes: this.queue.bytes + (this.socket?.bufferedAmount ?? 0),
      ...this.counts,
      ...this.lastError.stats(),
    };
  }

  close(): void {
    this.stopTimers();
    this.socket?.close(CloseCodes.goingAway, 'repeater is shutting down');
    this.socket = undefined;
    this.queue.drain();
  }

  private dial(room: string): void {
    let url: string;
    try {
      url = targetUrl(this.address, room, this.options.repeaterId);
    } catch (error) {
      this.lastError.set((error as Error).message);
      this.counts.failed += this.queue.drain().length;
      return;
    }
    const socket = new WebSocket(url, {
      perMessageDeflate: false,
      maxPayload: this.options.maxPayload,
      handshakeTimeout: this.options.idleTimeoutMs,
      followRedirects: false,
    });
    this.socket = socket;
    this.progress = new ReadProgress(socket, this.options.highWaterBytes);
    socket.on('open', () => {
      this.watchReads();
      for (const frame of this.queue.drain()) this.write(frame);
    });
    socket.on('message', () => this.touch());
    socket.on('error', (error) => this.lastError.set(error.message));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.stopTimers();
      const lost = this.queue.drain().length;
      if (lost > 0) {
        this.counts.failed += lost;
        this.logger.warn(
          `could not deliver ${lost} event(s) to ${this.address}: ${this.lastError.message ?? 'closed'}`,
        );
      }
    });
  }

  private write(frame: Buffer): void {
    if (this.progress!.overBudget) return void this.counts.dropped++;
    this.socket!.send(frame, { binary: true });
    this.progress!.wrote(frame.length);
    this.counts.sent++;
    this.touch();
  }

  /** Closes the socket when the target stops reading what it is sent. */
  private watchReads(): void {
    const every = Math.max(50, Math.min(1000, Math.floor(this.options.slowConsumerMs / 4)));
    this.stallTimer = setInterval(() => {
      const stalledMs = this.progress?.check(Date.now()) ?? 0;
      if (stalledMs < this.options.slowConsumerMs || !this.socket) return;
      this.counts.slowConsumer++;
      this.lastError.set(`slow consumer: read nothing for ${stalledMs} ms`);
      this.logger.warn(`closing ${this.address}: ${this.lastError.message}`);
      const socket = this.socket;
      socket.close(CloseCodes.slowConsumer, 'slow consumer');
      // A peer that reads nothing will not read the close frame either.
      setTimeout(() => socket.terminate(), 1000).unref();
      clearInterval(this.stallTimer);
    }, every);
    this.stallTimer.unref();
  }

  private touch(): void {
    if (this.idleTimer) return void this.idleTimer.refresh();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      this.socket?.close(CloseCodes.normal, 'idle timeout');
    }, this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private stopTimers(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    clearInterval(this.stallTimer);
    this.stallTimer = undefined;
  }
}
