import { EventEmitter } from 'node:events';
import { backoffDelay, connectPath } from '@ces/protocol';
import { WebSocket } from 'ws';
import { ResolvedMessengerOptions } from './messenger-options';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * One socket to one hub, kept open: it redials with backoff and jitter after any drop,
 * and drops a hub that has been silent past the keepalive tolerance. Events: `open`,
 * `frame` (data, isBinary), `down`, `state`.
 */
export class HubConnection extends EventEmitter {
  state: ConnectionState = 'connecting';
  socket?: WebSocket;
  /** Event frames received on the current socket: what `{"ack": N}` counts. */
  received = 0;
  reconnects = 0;
  private attempt = 0;
  private retryTimer?: NodeJS.Timeout;
  private silenceTimer?: NodeJS.Timeout;

  constructor(
    readonly hubUrl: string,
    private readonly options: ResolvedMessengerOptions,
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.state === 'open' && this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.dial();
  }

  close(): void {
    this.setState('closed');
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000, 'messenger closed');
    }
  }

  private dial(): void {
    const url = this.hubUrl.replace(/\/+$/, '') + connectPath(this.options.kind);
    const headers = this.options.token
      ? { authorization: `Bearer ${this.options.token}` }
      : undefined;
    const socket = new WebSocket(url, {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: this.options.handshakeTimeoutMs,
    });
    this.socket = socket;
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      this.heard();
      this.emit('frame', data, isBinary);
    });
    socket.on('ping', () => this.heard());
    socket.on('pong', () => this.heard());
    socket.on('error', (error: Error) => this.emit('socket-error', error));
    socket.on('unexpected-response', (_request, response) => {
      this.emit(
        'socket-error',
        new Error(`hub refused the connection: HTTP ${response.statusCode}`),
      );
      socket.terminate();
    });
    socket.on('close', () => this.onClose(socket));
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.socket || this.state === 'closed') return;
    this.attempt = 0;
    this.received = 0;
    this.heard();
    this.setState('open');
    this.emit('open');
  }

  private onClose(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    clearTimeout(this.silenceTimer);
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    // Counted before the state changes: the client reads it to tell reconnecting from connecting.
    this.reconnects++;
    this.setState('reconnecting');
    if (wasOpen) this.emit('down');
    this.retryTimer = setTimeout(
      () => this.dial(),
      backoffDelay(this.attempt++, this.options.reconnect),
    );
  }

  /** The hub is alive; a hub silent past the tolerance is presumed gone. */
  private heard(): void {
    if (this.silenceTimer) return void this.silenceTimer.refresh();
    this.silenceTimer = setTimeout(() => {
      this.silenceTimer = undefined;
      this.emit(
        'socket-error',
        new Error(`no word from ${this.hubUrl} for ${this.options.keepaliveToleranceMs} ms`),
      );
      this.socket?.terminate();
    }, this.options.keepaliveToleranceMs);
    this.silenceTimer.unref();
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }
}
