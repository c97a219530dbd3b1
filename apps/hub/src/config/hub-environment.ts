import { LOG_FORMATS, LOG_LEVELS, LogFormat, LogLevel } from '@ces/server-kit';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const PING_INTERVAL_ALLOWED =
  'a whole number of milliseconds from 100 to 89999 (the original Go messenger drops a hub silent for 90 s)';

/**
 * Every setting of the hub, read from the environment and validated at startup.
 * The README's configuration table lists the same names and defaults.
 */
export class HubEnvironment {
  /** Interface to listen on; empty means all interfaces. */
  @IsString()
  HUB_HOST = '';

  @IsInt()
  @Min(0)
  @Max(65535)
  HUB_PORT = 7100;

  /** Stable id of this hub in a mesh; generated at startup when empty. */
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{0,64}$/, {
    message: 'HUB_ID may only contain letters, digits and . _ : - (64 at most)',
  })
  HUB_ID = '';

  /**
   * Below 90 s: the original Go messenger drops a hub it has not heard from for 90 s, and
   * pings are what it hears while no event flows.
   */
  @IsInt({ message: PING_INTERVAL_ALLOWED })
  @Min(100, { message: PING_INTERVAL_ALLOWED })
  @Max(89_999, { message: PING_INTERVAL_ALLOWED })
  HUB_PING_INTERVAL_MS = 30_000;

  @IsInt()
  @Min(64)
  @Max(64 * 1024 * 1024)
  HUB_MAX_FRAME_BYTES = 1024 * 1024;

  @IsInt()
  @Min(1)
  @Max(4096)
  HUB_MAX_ROOM_BYTES = 256;

  /** A peer whose socket has more than this queued gets no more events until it drains. */
  @IsInt()
  @Min(1024)
  HUB_SEND_HIGH_WATER_BYTES = 1024 * 1024;

  /** Bytes that may wait for a linked hub: a link carries many rooms, so it gets more. */
  @IsInt()
  @Min(1024)
  HUB_LINK_SEND_HIGH_WATER_BYTES = 16 * 1024 * 1024;

  /** A peer over its send budget this long (it does not read) is closed with 4008. */
  @IsInt()
  @Min(100)
  HUB_SLOW_CONSUMER_MS = 10_000;

  /** Events kept for repeaters while none is connected. */
  @IsInt()
  @Min(0)
  HUB_REPEATER_BACKLOG = 1000;

  /** Bytes of events kept for repeaters while none is connected. */
  @IsInt()
  @Min(0)
  HUB_REPEATER_BACKLOG_BYTES = 16 * 1024 * 1024;

  /**
   * Events are kept for repeaters only once one has connected, and until the last one has
   * been gone this long: a hub that never had a repeater keeps nothing for one.
   */
  @IsInt()
  @Min(0)
  HUB_REPEATER_EXPECTED_MS = 60_000;

  /** Events a durable group keeps while no member can take them; the oldest go first. */
  @IsInt()
  @Min(0)
  HUB_DURABLE_MAX_EVENTS = 10_000;

  /** Bytes of events a durable group keeps while no member can take them. */
  @IsInt()
  @Min(0)
  HUB_DURABLE_MAX_BYTES = 64 * 1024 * 1024;

  /**
   * Events of any one room a durable group keeps, so one busy room cannot take the group's
   * whole backlog; 0: the group's bound (HUB_DURABLE_MAX_EVENTS) is the room's too.
   */
  @IsInt()
  @Min(0)
  HUB_DURABLE_ROOM_MAX_EVENTS = 0;

  /** Bytes of any one room's events a durable group keeps; 0: HUB_DURABLE_MAX_BYTES. */
  @IsInt()
  @Min(0)
  HUB_DURABLE_ROOM_MAX_BYTES = 0;

  /** Durable groups the hub keeps at most (with or without members). */
  @IsInt()
  @Min(0)
  HUB_MAX_DURABLE_GROUPS = 1000;

  /** A durable group that has had no member this long is forgotten, with its events. */
  @IsInt()
  @Min(1000)
  HUB_DURABLE_GROUP_TTL_MS = 3_600_000;

  /** How long a durable group keeps an event it could not deliver. */
  @IsInt()
  @Min(1000)
  HUB_DURABLE_MAX_AGE_MS = 3_600_000;

  /** A durable group's event not acknowledged this long after delivery goes to another member. */
  @IsInt()
  @Min(100)
  HUB_ACK_TIMEOUT_MS = 30_000;

  /** Where durable groups' events are kept: an SQLite file per hub id, or only in memory. */
  @IsIn(['sqlite', 'memory'])
  HUB_STORE: 'sqlite' | 'memory' = 'sqlite';

  /** Directory of the SQLite store (and of the hub id kept when HUB_ID is empty); created at startup. */
  @IsString()
  HUB_DATA_DIR = './data';

  /** SQLite `synchronous`: `normal` survives a crash of the process, `full` a power loss too. */
  @IsIn(['normal', 'full'])
  HUB_STORE_SYNC: 'normal' | 'full' = 'normal';

  /** The SQLite file grows to this many bytes at most; beyond it writes fail as on a full disk. 0: no limit. */
  @IsInt()
  @Min(0)
  HUB_STORE_MAX_BYTES = 0;

  /** The service registry: a JSON file path or an http(s) URL; empty: none. */
  @IsString()
  HUB_REGISTRY = '';

  /** How often the service registry is read again. */
  @IsInt()
  @Min(100)
  HUB_REGISTRY_REFRESH_MS = 30_000;

  @IsBoolean()
  HUB_PERMESSAGE_DEFLATE = false;

  @IsInt()
  @Min(10)
  HUB_LINK_BACKOFF_INITIAL_MS = 500;

  @IsInt()
  @Min(10)
  HUB_LINK_BACKOFF_MAX_MS = 30_000;

  /** Hubs to link to at startup, comma-separated addresses (as for POST /interconnect). */
  @IsString()
  HUB_PEERS = '';

  /** Shared secrets, comma-separated: any of them lets a messenger or repeater connect. Turns auth on. */
  @IsString()
  HUB_AUTH_TOKENS = '';

  /** HS256 secret for JWTs. Turns auth on. */
  @IsString()
  HUB_JWT_SECRET = '';

  /** PEM public key (RS256 or ES256, see HUB_JWT_ALGORITHM) for JWTs. Turns auth on. */
  @IsString()
  HUB_JWT_PUBLIC_KEY = '';

  @IsIn(['RS256', 'ES256'])
  HUB_JWT_ALGORITHM: 'RS256' | 'ES256' = 'RS256';

  /** When set, a JWT's `aud` must be this. */
  @IsString()
  HUB_JWT_AUDIENCE = '';

  /** When set, a JWT's `iss` must be this. */
  @IsString()
  HUB_JWT_ISSUER = '';

  /** Credential of hub links: sent when this hub dials, required from hubs that dial it. */
  @IsString()
  HUB_LINK_TOKEN = '';

  /** Addresses /interconnect may dial: hostnames (globs), IPs, CIDRs, each optionally with :port. Empty: any. */
  @IsString()
  HUB_INTERCONNECT_ALLOW = '';

  /** Origins browsers may open websockets from, comma-separated. Empty: any. */
  @IsString()
  HUB_ALLOWED_ORIGINS = '';

  @IsInt()
  @Min(1)
  HUB_MAX_CONNECTIONS = 10_000;

  @IsInt()
  @Min(1)
  HUB_MAX_CONNECTIONS_PER_ADDRESS = 1000;

  @IsInt()
  @Min(1)
  HUB_MAX_ROOMS_PER_PEER = 1000;

  /** A connection whose request or upgrade headers take longer than this is closed. */
  @IsInt()
  @Min(100)
  HUB_HEADERS_TIMEOUT_MS = 10_000;

  /** A TCP connection that sends nothing this long before it upgrades is closed. */
  @IsInt()
  @Min(100)
  HUB_PREUPGRADE_IDLE_MS = 30_000;

  /** Consumer groups one connection may be a member of. */
  @IsInt()
  @Min(0)
  HUB_MAX_GROUPS_PER_PEER = 100;

  /** On SIGTERM, how long peers get to read what is queued for them before the 1001 close. */
  @IsInt()
  @Min(0)
  HUB_SHUTDOWN_GRACE_MS = 5_000;

  /** Events per second one connection may publish; 0 turns the limit off. */
  @IsInt()
  @Min(0)
  HUB_PUBLISH_RATE = 0;

  /** Events a connection may publish at once above the rate; defaults to the rate. */
  @IsInt()
  @Min(0)
  HUB_PUBLISH_BURST = 0;

  /** What happens to a connection over its publish rate: its events are dropped, or it is closed with 1008. */
  @IsIn(['drop', 'close'])
  HUB_PUBLISH_LIMIT_POLICY: 'drop' | 'close' = 'drop';

  /** Validation profile of POST /event: the original's `v2` events, or the microservice hub's `service-event` (routed by `name`). */
  @IsIn(['v2', 'service-event'])
  HUB_EVENT_PROFILE: 'v2' | 'service-event' = 'v2';

  /** Stamp events accepted by POST /event with an `id` (UUIDv7) and the time they were accepted. */
  @IsBoolean()
  HUB_ENRICH = true;

  /** Audit trail: '' (off), 'stdout', or a file path. */
  @IsString()
  HUB_AUDIT = '';

  /** Rotate the audit file at this size; 0 never rotates. */
  @IsInt()
  @Min(0)
  HUB_AUDIT_MAX_BYTES = 10 * 1024 * 1024;

  @IsInt()
  @Min(1)
  HUB_AUDIT_MAX_FILES = 5;

  /** Audit lines waiting for the writer; beyond it lines are dropped and counted. */
  @IsInt()
  @Min(1)
  HUB_AUDIT_QUEUE = 10_000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** `pretty` lines for a person, `json` lines for a collector; `auto`: pretty at a terminal. */
  @IsIn(LOG_FORMATS)
  LOG_FORMAT: LogFormat = 'auto';

  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;
}
