import {
  BackoffOptions,
  DEFAULT_BACKOFF,
  parseClientName,
  parseHubAddress,
  RoomPosition,
} from '@ces/protocol';

export type MessengerKind = 'messenger' | 'repeater';

/** Something to log through; console and Nest's Logger both fit. */
export interface MessengerLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface MessengerOptions {
  /** The hub: `host`, `host:port` (port 7100 by default), or a `ws://`/`wss://` (or http) URL. */
  hubUrl?: string;
  /** Several hubs: receive from all, publish through one that is open. */
  hubUrls?: string[];
  /**
   * This client's name at the hub (its `/status`, dashboard and logs): 1 to 64 characters of
   * `A-Z a-z 0-9 . _ : -`. Without one the hub gives the client an id of its own.
   */
  name?: string;
  /**
   * The service of the hub's registry (`HUB_REGISTRY`) this client is an instance of: the hub
   * gives it that service's queue and topic subscriptions, so it needs no `rooms` of its own.
   */
  service?: string;
  /** Rooms to subscribe to; none makes a write-only messenger. */
  rooms?: string[];
  /** `repeater` connects as a repeater (no subscriptions, every room). Default `messenger`. */
  kind?: MessengerKind;
  /** Deliver events as bytes (Buffer in Node, Uint8Array in a browser), without JSON parsing. */
  raw?: boolean;
  /**
   * Bearer token presented to the hub (a header in Node, the `token` query parameter in a
   * browser). A function is asked again before every connection attempt, so a client whose
   * token expired (the hub closes it with 4401) reconnects with a fresh one.
   */
  token?: TokenSource;
  reconnect?: Partial<BackoffOptions>;
  /** Events kept while no hub is open; beyond it the oldest are dropped. Default 10,000. */
  bufferLimit?: number;
  /** Bytes of events kept while no hub is open; beyond it the oldest are dropped. Default 4 MiB. */
  bufferBytes?: number;
  /** Bytes queued on the socket above which sends wait in the buffer. Default 1 MiB. */
  highWaterBytes?: number;
  /** Give up an opening handshake after this long. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Reconnect when the hub has been silent (no ping, no frame) this long; 0 never. Default 90 s. */
  keepaliveToleranceMs?: number;
  /** Events waiting in an async iterator that is not read; beyond it the oldest are dropped. Default 10,000. */
  iteratorLimit?: number;
  /** Acknowledge durable-group events automatically once handled (default), or call `ack()`. */
  ack?: 'auto' | 'manual';
  logger?: MessengerLogger;
  /**
   * Events of the hub's history rooms come with their position, and after a reconnect the
   * client asks the hub for what it missed and reports each room on `recovery`. Default false.
   */
  recover?: boolean;
  /** Positions to resume rooms from at the first connect (a CLI's `--resume-from`); implies `recover`. */
  resumeFrom?: Record<string, RoomPosition>;
  /**
   * Publish confirms: `publish()` resolves once the hub has taken the event (stored where it
   * must be) and rejects with the hub's reason when it refuses it; events not yet confirmed
   * stay in the buffer (`bufferLimit`, `bufferBytes`; a publish beyond them is rejected) and
   * are sent again after a reconnect, and the hub drops what it had taken already. Messengers
   * only. Default false.
   */
  confirms?: boolean;
}

export interface ResolvedMessengerOptions {
  hubUrls: string[];
  name?: string;
  service?: string;
  rooms: string[];
  kind: MessengerKind;
  raw: boolean;
  token?: TokenSource;
  reconnect: BackoffOptions;
  bufferLimit: number;
  bufferBytes: number;
  highWaterBytes: number;
  handshakeTimeoutMs: number;
  keepaliveToleranceMs: number;
  iteratorLimit: number;
  ack: 'auto' | 'manual';
  logger?: MessengerLogger;
  recover: boolean;
  resumeFrom: Record<string, RoomPosition>;
  confirms: boolean;
}

/** A token, or what gives one (say, a call to the identity provider) for each connection. */
export type TokenSource = string | (() => string | Promise<string>);

export const DEFAULT_BUFFER_BYTES = 4 * 1024 * 1024;

function count(value: number | undefined, fallback: number, what: string): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 0)
    throw new Error(`${what} must be a whole number of at least 0, not ${value}`);
  return resolved;
}

export function resolveOptions(options: MessengerOptions): ResolvedMessengerOptions {
  const given = options.hubUrls ?? (options.hubUrl ? [options.hubUrl] : []);
  if (given.length === 0) throw new Error('MessengerClient needs hubUrl or hubUrls');
  return {
    hubUrls: given.map((address) => parseHubAddress(address).ws),
    name: parseClientName(options.name),
    service: options.service,
    rooms: options.rooms ?? [],
    kind: options.kind ?? 'messenger',
    raw: options.raw ?? false,
    token: options.token,
    reconnect: { ...DEFAULT_BACKOFF, ...options.reconnect },
    bufferLimit: count(options.bufferLimit, 10_000, 'bufferLimit'),
    bufferBytes: count(options.bufferBytes, DEFAULT_BUFFER_BYTES, 'bufferBytes'),
    highWaterBytes: count(options.highWaterBytes, 1024 * 1024, 'highWaterBytes'),
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
    keepaliveToleranceMs: options.keepaliveToleranceMs ?? 90_000,
    iteratorLimit: count(options.iteratorLimit, 10_000, 'iteratorLimit'),
    ack: options.ack ?? 'auto',
    logger: options.logger,
    recover: options.recover ?? options.resumeFrom !== undefined,
    resumeFrom: options.resumeFrom ?? {},
    confirms: confirmsOf(options),
  };
}

function confirmsOf(options: MessengerOptions): boolean {
  if (options.confirms && options.kind === 'repeater')
    throw new Error('confirms are for messengers: a repeater’s events are not confirmed');
  return options.confirms === true;
}
