import { Logger } from '@nestjs/common';
import { backoffDelay, BackoffOptions, CloseCodes, HUB_ID_HEADER } from '@ces/protocol';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';

export type HubLinkState =
  'connecting' | 'open' | 'reconnecting' | 'standby' | 'refused' | 'closed';

/** Who asked for a link: an operator (`POST /interconnect`, `HUB_PEERS`) or the mesh. */
export type HubLinkOrigin = 'operator' | 'mesh';

export interface HubLinkHooks {
  ownHubId: string;
  /** Sent as a bearer token, when hubs require a credential for links. */
  linkToken?: string;
  backoff: BackoffOptions;
  maxPayload: number;
  /** Takes over the open socket; false when the hub refused it (e.g. a duplicate link). */
  attach(socket: WebSocket, remoteHubId: string | undefined): boolean;
  /** Told of every change of state, after it happened. */
  stateChanged?(state: HubLinkState): void;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;
/**
 * A link in standby (the other hub already has a link to us, or another socket claimed
 * its id) tries again this often, with jitter, so it takes over within seconds once the
 * other link is gone.
 */
const STANDBY_RETRY_MS = 2_000;

/**
 * A link this hub dialed to another hub. It redials by itself with capped exponential
 * backoff and jitter until it is stopped. A link the other hub already has the other way
 * round waits in `standby`, retrying slowly in case that one goes away.
 */
export class HubLink {
  private readonly logger = new Logger(HubLink.name);
  state: HubLinkState = 'connecting';
  since = new Date();
  lastError?: string;
  remoteHubId?: string;
  /** The IP the link's socket reached, once it connected. */
  remoteIp?: string;
  /** Operator links are kept until deleted; links learned from the mesh are forgotten when down. */
  origin: HubLinkOrigin;
  private socket?: WebSocket;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private settleFirstAttempt?: () => void;
  readonly firstAttempt: Promise<void>;

  constructor(
    readonly address: string,
    readonly url: string,
    private readonly hooks: HubLinkHooks,
    options: { origin?: HubLinkOrigin; remoteHubId?: string } = {},
  ) {
    this.origin = options.origin ?? 'operator';
    this.remoteHubId = options.remoteHubId;
    this.firstAttempt = new Promise((resolve) => (this.settleFirstAttempt = resolve));
  }

  start(): void {
    this.dial();
  }

  stop(): void {
    this.setState('closed');
    clearTimeout(this.timer);
    this.socket?.close(CloseCodes.normal, 'link removed');
    this.socket = undefined;
    this.settleFirstAttempt?.();
  }

  private dial(): void {
    const socket = new WebSocket(this.url, {
      headers: {
        [HUB_ID_HEADER]: this.hooks.ownHubId,
        ...(this.hooks.linkToken ? { authorization: `Bearer ${this.hooks.linkToken}` } : {}),
      },
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      perMessageDeflate: false,
      // Pongs are answered by the hub's peer socket, within the link's send budget.
      autoPong: false,
      maxPayload: this.hooks.maxPayload,
      followRedirects: false,
    });
    this.socket = socket;
    let remoteHubId: string | undefined;
    socket.once('upgrade', (response: IncomingMessage) => {
      const header = response.headers[HUB_ID_HEADER];
      remoteHubId = typeof header === 'string' ? header : undefined;
      this.remoteIp = response.socket.remoteAddress ?? this.remoteIp;
    });
    let refused = false;
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      refused = true;
      this.onRefused(response);
      socket.terminate();
    });
    socket.once('open', () => this.onOpen(socket, remoteHubId));
    // After a refusal, ws reports the terminated handshake too; the refusal says more.
    socket.on('error', (error) => refused || (this.lastError = error.message));
    socket.once('close', (code: number) => this.onClose(socket, code));
  }

  private onOpen(socket: WebSocket, remoteHubId: string | undefined): void {
    if (this.state === 'closed') return void socket.close(CloseCodes.normal, 'link removed');
    this.remoteHubId = remoteHubId;
    if (!this.hooks.attach(socket, remoteHubId)) {
      this.setState('standby');
      this.settleFirstAttempt?.();
      return;
    }
    this.attempt = 0;
    this.lastError = undefined;
    this.setState('open');
    this.logger.log(`linked to hub ${remoteHubId ?? '(original Go hub)'} at ${this.url}`);
    this.settleFirstAttempt?.();
  }

  private onRefused(response: IncomingMessage): void {
    const header = response.headers[HUB_ID_HEADER];
    this.lastError = `refused with HTTP ${response.statusCode}`;
    if (response.statusCode === 409 && header === this.hooks.ownHubId) {
      this.lastError = 'this address is this hub: a hub cannot link to itself';
      this.setState('refused');
    } else if (response.statusCode === 409) {
      this.remoteHubId = typeof header === 'string' ? header : this.remoteHubId;
      this.lastError = 'the other hub already links to this one';
      this.setState('standby');
    }
  }

  private onClose(socket: WebSocket, code: number): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (code === CloseCodes.duplicateHubLink && this.state !== 'closed') this.setState('standby');
    if (this.state === 'closed' || this.state === 'refused') return this.settleFirstAttempt?.();
    if (this.state !== 'standby') this.setState('reconnecting');
    this.settleFirstAttempt?.();
    const delay =
      this.state === 'standby'
        ? Math.min(this.hooks.backoff.maxDelayMs, STANDBY_RETRY_MS * (1 + Math.random() / 2))
        : backoffDelay(this.attempt++, this.hooks.backoff);
    this.timer = setTimeout(() => this.dial(), delay);
    this.timer.unref();
  }

  private setState(state: HubLinkState): void {
    if (this.state === state) return;
    this.state = state;
    this.since = new Date();
    this.hooks.stateChanged?.(state);
  }
}
