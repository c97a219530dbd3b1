import { LOG_FORMATS, LOG_LEVELS, LogFormat, LogLevel } from '@ces/server-kit';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * Every setting of the repeater, read from the environment and validated at startup.
 * The README's configuration table lists the same names and defaults.
 */
export class RepeaterEnvironment {
  @IsString()
  REPEATER_HOST = '';

  @IsInt()
  @Min(0)
  @Max(65535)
  REPEATER_PORT = 7101;

  /** Id used in /status and when dialing websocket targets (`<target>/connect/<room>/<id>`). */
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{0,64}$/, {
    message: 'REPEATER_ID may only contain letters, digits and . _ : - (64 at most)',
  })
  REPEATER_ID = '';

  @Matches(/^wss?:\/\/.+/, { message: 'REPEATER_HUB_URL must be a ws:// or wss:// URL' })
  REPEATER_HUB_URL = 'ws://localhost:7100';

  /** Bearer token the uplink presents to the hub, when the hub requires one. */
  @IsString()
  REPEATER_HUB_TOKEN = '';

  /** An outside socket with no event either way for this long is closed. */
  @IsInt()
  @Min(100)
  REPEATER_IDLE_TIMEOUT_MS = 5000;

  /** JSON file: room → list of targets (ws://, wss://, http://, https://). */
  @IsString()
  REPEATER_SEND_MAP_PATH = '';

  /** The same map inline, as JSON; merged over the file's. */
  @IsString()
  REPEATER_SEND_MAP = '';

  /** The shape of events taken in: the original's `v2` events, or the microservice hub's `service-event` (routed by `name`). */
  @IsIn(['v2', 'service-event'])
  REPEATER_EVENT_PROFILE: 'v2' | 'service-event' = 'v2';

  /** Stamp accepted events with an `id` (UUIDv7) and the time they were accepted. */
  @IsBoolean()
  REPEATER_ENRICH = true;

  /** `strict` validates v2 events with the protocol's DTO; `lenient` only needs JSON and a room. */
  @IsIn(['strict', 'lenient'])
  REPEATER_VALIDATION: 'strict' | 'lenient' = 'strict';

  @IsInt()
  @Min(100)
  REPEATER_HTTP_TIMEOUT_MS = 5000;

  @IsInt()
  @Min(0)
  @Max(20)
  REPEATER_HTTP_RETRIES = 3;

  @IsInt()
  @Min(10)
  REPEATER_HTTP_BACKOFF_MS = 200;

  /** Events queued per target; beyond it the oldest are dropped and counted. */
  @IsInt()
  @Min(1)
  REPEATER_TARGET_QUEUE = 1000;

  /** Bytes of events queued per target; beyond it the oldest are dropped and counted. */
  @IsInt()
  @Min(1024)
  REPEATER_TARGET_QUEUE_BYTES = 16 * 1024 * 1024;

  /** Keepalive: outside sockets are pinged this often; one that has not answered the last ping is dropped. */
  @IsInt()
  @Min(100)
  REPEATER_PING_INTERVAL_MS = 30000;

  /** Bytes queued on an outside socket or ws target above which its events are dropped (counted). */
  @IsInt()
  @Min(1024)
  REPEATER_SEND_HIGH_WATER_BYTES = 1024 * 1024;

  /**
   * An outside socket or ws target that stays over its high-water mark, or reads none of what
   * is queued for it, this long is closed with 4008 (slow consumer).
   */
  @IsInt()
  @Min(100)
  REPEATER_SLOW_CONSUMER_MS = 10000;

  /** Outside sockets in total; beyond it upgrades get 503. */
  @IsInt()
  @Min(1)
  REPEATER_MAX_CONNECTIONS = 10000;

  /** Outside sockets from one IP address; beyond it upgrades get 429. */
  @IsInt()
  @Min(1)
  REPEATER_MAX_CONNECTIONS_PER_ADDRESS = 1000;

  /** A connection whose request or upgrade headers take longer than this is closed. */
  @IsInt()
  @Min(100)
  REPEATER_HEADERS_TIMEOUT_MS = 10_000;

  /** A TCP connection that sends nothing this long before it upgrades is closed. */
  @IsInt()
  @Min(100)
  REPEATER_PREUPGRADE_IDLE_MS = 30_000;

  /** Events held for the hub while the uplink is down. */
  @IsInt()
  @Min(0)
  REPEATER_UPLINK_BUFFER = 10000;

  @IsInt()
  @Min(64)
  @Max(64 * 1024 * 1024)
  REPEATER_MAX_FRAME_BYTES = 1024 * 1024;

  @IsBoolean()
  REPEATER_PERMESSAGE_DEFLATE = false;

  /** Audit trail: '' (off), 'stdout', or a file path. */
  @IsString()
  REPEATER_AUDIT = '';

  /** Rotate the audit file at this size; 0 never rotates. */
  @IsInt()
  @Min(0)
  REPEATER_AUDIT_MAX_BYTES = 10 * 1024 * 1024;

  @IsInt()
  @Min(1)
  REPEATER_AUDIT_MAX_FILES = 5;

  /** Audit lines waiting for the writer; beyond it lines are dropped and counted. */
  @IsInt()
  @Min(1)
  REPEATER_AUDIT_QUEUE = 10_000;

  /** Shared secrets, comma-separated, that outside systems present; turns authentication on. */
  @IsString()
  REPEATER_AUTH_TOKENS = '';

  /** HS256 secret for JWTs; turns authentication on. */
  @IsString()
  REPEATER_JWT_SECRET = '';

  /** PEM public key for RS256/ES256 JWTs; turns authentication on. */
  @IsString()
  REPEATER_JWT_PUBLIC_KEY = '';

  @IsIn(['RS256', 'ES256'])
  REPEATER_JWT_ALGORITHM: 'RS256' | 'ES256' = 'RS256';

  /** When set, a JWT's `aud` must include it. */
  @IsString()
  REPEATER_JWT_AUDIENCE = '';

  /** When set, a JWT's `iss` must equal it. */
  @IsString()
  REPEATER_JWT_ISSUER = '';

  /** Origins browsers may open websockets from, comma-separated. Empty: any. */
  @IsString()
  REPEATER_ALLOWED_ORIGINS = '';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** `pretty` lines for a person, `json` lines for a collector; `auto`: pretty at a terminal. */
  @IsIn(LOG_FORMATS)
  LOG_FORMAT: LogFormat = 'auto';

  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;
}
