import { backoffDelay, connectPath, withClientName, withService } from '@ces/protocol';
import { HubSocket } from './hub-socket';
import { MessengerPlatform } from './messenger-platform';
import { ResolvedMessengerOptions } from './messenger-options';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What a connection reports to its client. */
export interface HubConnectionEvents<Bytes extends Uint8Array> {
  open(): void;
  frame(data: Bytes): void;
  text(data: string): void;
  error(error: Error): void;
  state(state: ConnectionState): void;
}

type Timer = ReturnType<typeof setTimeout>;

/** Node's timers keep a process alive unless unref'd; a browser's have no such method. */
function unref(timer: Timer): void {
  (timer as { unref?: () => void }).unref?.();
}

/**
 * One socket to one hub, kept open: it redials with backoff and jitter after any drop, and
 * (where pings are visible) drops a hub that has been silent past the keepalive tolerance.
 * It owns its socket: the client sends through it and never sees the socket itself.
 */
export class HubConnection<Bytes extends Uint8Array = Uint8Array> {
  state: ConnectionState = 'connecting';
  /** Event frames received on the current socket: what `{"ack": N}` counts. */
  received = 0;
  reconnects = 0;
  private socket?: HubSocket;
  private attempt = 0;
  private retryTimer?: Timer;
  private silenceTimer?: Timer;
  private lastHeard = 0;
  private whenClosed?: () => void;

  constructor(
    readonly hubUrl: string,
    private readonly options: ResolvedMessengerOptions,
    private readonly platform: MessengerPlatform<Bytes>,
    private readonly events: HubConnectionEvents<Bytes>,
  ) {}

  get isOpen(): boolean {
    return this.state === 'open' && this.socket?.isOpen === true;
  }

  /** Bytes waiting on the socket: what the client's high-water mark compares against. */
  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  start(): void {
    if (!this.socket && this.state !== 'closed') this.dial();
  }

  /** Sends on the open socket; false (nothing sent) when it is not open. */
  send(data: Uint8Array | string): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(data);
    return true;
  }

  /** Stops redialling and closes the socket; resolves once it is closed (or after 1 s). */
  close(): Promise<void> {
    this.setState('closed');
    clearTimeout(this.retryTimer);
    this.stopSilenceTimer();
    const socket = this.socket;
    if (!socket) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      unref(timer);
      this.whenClosed = () => {
        clearTimeout(timer);
        resolve();
      };
      socket.close('messenger closed');
    });
  }

  /** Asks the token source (when it is a function) for this attempt's token, then dials. */
  private dial(): void {
    const source = this.options.token;
    if (typeof source !== 'function') return this.dialWith(source);
    Promise.resolve()
      .then(source)
      .then(
        (token) => {
          if (this.state !== 'closed') this.dialWith(token);
        },
        (error: unknown) => {
          if (this.state === 'closed') return;
          this.events.error(error instanceof Error ? error : new Error(String(error)));
          this.retryLater();
        },
      );
  }

  private dialWith(token: string | undefined): void {
    const path = connectPath(this.options.kind);
    const named = withClientName(this.hubUrl + path, this.options.name);
    const url = withService(named, this.options.service);
    const socket = this.platform.dial(
      { url, token, handshakeTimeoutMs: this.options.handshakeTimeoutMs },
      {
        open: () => this.onOpen(socket),
        message: (data) => {
          if (socket !== this.socket) return;
          this.heard();
          if (typeof data === 'string') this.events.text(data);
          else this.events.frame(data as Bytes);
        },
        alive: () => {
          if (socket === this.socket) this.heard();
        },
        error: (error) => {
          if (socket === this.socket) this.events.error(error);
        },
        closed: () => this.onClosed(socket),
      },
    );
    this.socket = socket;
  }

  private onOpen(socket: HubSocket): void {
    if (socket !== this.socket || this.state === 'closed') return;
    this.attempt = 0;
    this.received = 0;
    this.heard();
    this.setState('open');
    this.events.open();
  }

  private onClosed(socket: HubSocket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.stopSilenceTimer();
    if (this.state === 'closed') return this.whenClosed?.();
    // Counted before the state changes: the client reads it to tell reconnecting from connecting.
    this.reconnects++;
    this.setState('reconnecting');
    this.retryLater();
  }

  private retryLater(): void {
    this.retryTimer = setTimeout(
      () => this.dial(),
      backoffDelay(this.attempt++, this.options.reconnect),
    );
  }

  /**
   * The hub is alive; a hub silent past the tolerance is presumed gone. Called for every
   * frame, so it only notes the time: the timer checks it when it fires and re-arms for the rest.
   */
  private heard(): void {
    if (!this.platform.seesPings || this.options.keepaliveToleranceMs <= 0) return;
    this.lastHeard = Date.now();
    if (!this.silenceTimer) this.armSilenceTimer(this.options.keepaliveToleranceMs);
  }

  private armSilenceTimer(delayMs: number): void {
    this.silenceTimer = setTimeout(() => {
      this.silenceTimer = undefined;
      const tolerance = this.options.keepaliveToleranceMs;
      const silentFor = Date.now() - this.lastHeard;
      if (silentFor < tolerance) return this.armSilenceTimer(tolerance - silentFor);
      this.events.error(new Error(`no word from ${this.hubUrl} for ${tolerance} ms`));
      this.socket?.terminate();
    }, delayMs);
    unref(this.silenceTimer);
  }

  private stopSilenceTimer(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.state(state);
  }
}
