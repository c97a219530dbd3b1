import { BackoffOptions, DEFAULT_BACKOFF } from '@ces/protocol';

export type MessengerKind = 'messenger' | 'repeater';

/** Something to log through; console and Nest's Logger both fit. */
export interface MessengerLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface MessengerOptions {
  /** The hub, e.g. `ws://localhost:7100`. */
  hubUrl?: string;
  /** Several hubs: receive from all, publish through one that is open. */
  hubUrls?: string[];
  /** Rooms to subscribe to; none makes a write-only messenger. */
  rooms?: string[];
  /** `repeater` connects as a repeater (no subscriptions, every room). Default `messenger`. */
  kind?: MessengerKind;
  /** Deliver events as Buffers, without JSON parsing (for forwarders). */
  raw?: boolean;
  /** Bearer token presented to the hub. */
  token?: string;
  reconnect?: Partial<BackoffOptions>;
  /** Events kept while no hub is open; beyond it the oldest are dropped. Default 10,000. */
  bufferLimit?: number;
  /** Bytes queued on the socket above which sends wait in the buffer. Default 1 MiB. */
  highWaterBytes?: number;
  /** Give up an opening handshake after this long. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Reconnect when the hub has been silent (no ping, no frame) this long. Default 90 s. */
  keepaliveToleranceMs?: number;
  /** Events waiting in the async iterator; beyond it the oldest are dropped. Default 10,000. */
  iteratorLimit?: number;
  /** Acknowledge durable-group events automatically once handled (default), or call `ack()`. */
  ack?: 'auto' | 'manual';
  logger?: MessengerLogger;
}

export interface ResolvedMessengerOptions {
  hubUrls: string[];
  rooms: string[];
  kind: MessengerKind;
  raw: boolean;
  token?: string;
  reconnect: BackoffOptions;
  bufferLimit: number;
  highWaterBytes: number;
  handshakeTimeoutMs: number;
  keepaliveToleranceMs: number;
  iteratorLimit: number;
  ack: 'auto' | 'manual';
  logger?: MessengerLogger;
}

export function resolveOptions(options: MessengerOptions): ResolvedMessengerOptions {
  const hubUrls = options.hubUrls ?? (options.hubUrl ? [options.hubUrl] : []);
  if (hubUrls.length === 0) throw new Error('MessengerClient needs hubUrl or hubUrls');
  for (const url of hubUrls) {
    if (!/^wss?:\/\//.test(url))
      throw new Error(`hub URL "${url}" must start with ws:// or wss://`);
  }
  return {
    hubUrls,
    rooms: options.rooms ?? [],
    kind: options.kind ?? 'messenger',
    raw: options.raw ?? false,
    token: options.token,
    reconnect: { ...DEFAULT_BACKOFF, ...options.reconnect },
    bufferLimit: options.bufferLimit ?? 10_000,
    highWaterBytes: options.highWaterBytes ?? 1024 * 1024,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
    keepaliveToleranceMs: options.keepaliveToleranceMs ?? 90_000,
    iteratorLimit: options.iteratorLimit ?? 10_000,
    ack: options.ack ?? 'auto',
    logger: options.logger,
  };
}
