import { randomBytes } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { eventProfile, FrameLimits, IntakeOptions } from '@ces/protocol';
import { AuditOptions, LogFormat, LogLevel, TokenOptions } from '@ces/server-kit';
import { RepeaterEnvironment } from './repeater-environment';

export type ValidationMode = 'strict' | 'lenient';

/** The repeater's settings in the shape its services use them. */
export interface RepeaterConfig {
  host: string;
  port: number;
  repeaterId: string;
  hubUrl: string;
  hubToken: string;
  idleTimeoutMs: number;
  sendMapPath: string;
  sendMapInline: string;
  validation: ValidationMode;
  /** How events are validated, routed and stamped at ingress. */
  intake: IntakeOptions;
  audit: AuditOptions;
  auth: TokenOptions;
  allowedOrigins: string[];
  http: { timeoutMs: number; retries: number; backoffMs: number };
  /** Bounds of each send-map target's queue. */
  targetQueue: { maxEvents: number; maxBytes: number };
  /** Keepalive and back-pressure of outside sockets and ws targets. */
  delivery: { pingIntervalMs: number; highWaterBytes: number; slowConsumerMs: number };
  limits: { maxConnections: number; maxConnectionsPerAddress: number };
  uplinkBuffer: number;
  frameLimits: FrameLimits;
  perMessageDeflate: boolean;
  tcp: {
    maxConnections: number;
    maxConnectionsPerAddress: number;
    headersTimeoutMs: number;
    idleTimeoutMs: number;
  };
  logLevel: LogLevel;
  logFormat: LogFormat;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export const REPEATER_CONFIG = Symbol('REPEATER_CONFIG');

export function repeaterConfigFrom(config: ConfigService): RepeaterConfig {
  const settings = config.getOrThrow<RepeaterEnvironment>('repeater');
  const env = <K extends keyof RepeaterEnvironment>(key: K) => settings[key];
  return {
    host: env('REPEATER_HOST'),
    port: env('REPEATER_PORT'),
    repeaterId: env('REPEATER_ID') || `repeater-${randomBytes(4).toString('hex')}`,
    hubUrl: env('REPEATER_HUB_URL'),
    hubToken: env('REPEATER_HUB_TOKEN'),
    idleTimeoutMs: env('REPEATER_IDLE_TIMEOUT_MS'),
    sendMapPath: env('REPEATER_SEND_MAP_PATH'),
    sendMapInline: env('REPEATER_SEND_MAP'),
    validation: env('REPEATER_VALIDATION'),
    http: {
      timeoutMs: env('REPEATER_HTTP_TIMEOUT_MS'),
      retries: env('REPEATER_HTTP_RETRIES'),
      backoffMs: env('REPEATER_HTTP_BACKOFF_MS'),
    },
    targetQueue: {
      maxEvents: env('REPEATER_TARGET_QUEUE'),
      maxBytes: env('REPEATER_TARGET_QUEUE_BYTES'),
    },
    delivery: {
      pingIntervalMs: env('REPEATER_PING_INTERVAL_MS'),
      highWaterBytes: env('REPEATER_SEND_HIGH_WATER_BYTES'),
      slowConsumerMs: env('REPEATER_SLOW_CONSUMER_MS'),
    },
    limits: {
      maxConnections: env('REPEATER_MAX_CONNECTIONS'),
      maxConnectionsPerAddress: env('REPEATER_MAX_CONNECTIONS_PER_ADDRESS'),
    },
    uplinkBuffer: env('REPEATER_UPLINK_BUFFER'),
    frameLimits: { maxFrameBytes: env('REPEATER_MAX_FRAME_BYTES'), maxRoomBytes: 256 },
    auth: {
      tokens: list(env('REPEATER_AUTH_TOKENS')),
      jwtSecret: env('REPEATER_JWT_SECRET'),
      jwtPublicKey: env('REPEATER_JWT_PUBLIC_KEY'),
      jwtAlgorithm: env('REPEATER_JWT_ALGORITHM'),
      jwtAudience: env('REPEATER_JWT_AUDIENCE'),
      jwtIssuer: env('REPEATER_JWT_ISSUER'),
    },
    allowedOrigins: list(env('REPEATER_ALLOWED_ORIGINS')),
    audit: {
      target: env('REPEATER_AUDIT'),
      maxBytes: env('REPEATER_AUDIT_MAX_BYTES'),
      maxFiles: env('REPEATER_AUDIT_MAX_FILES'),
      queueLimit: env('REPEATER_AUDIT_QUEUE'),
    },
    intake: {
      profile: eventProfile(env('REPEATER_EVENT_PROFILE'), {
        lenient: env('REPEATER_VALIDATION') === 'lenient',
      }),
      enrich: env('REPEATER_ENRICH'),
      limits: { maxFrameBytes: env('REPEATER_MAX_FRAME_BYTES'), maxRoomBytes: 256 },
    },
    perMessageDeflate: env('REPEATER_PERMESSAGE_DEFLATE'),
    tcp: {
      maxConnections: env('REPEATER_MAX_CONNECTIONS'),
      maxConnectionsPerAddress: env('REPEATER_MAX_CONNECTIONS_PER_ADDRESS'),
      headersTimeoutMs: env('REPEATER_HEADERS_TIMEOUT_MS'),
      idleTimeoutMs: env('REPEATER_PREUPGRADE_IDLE_MS'),
    },
    logLevel: env('LOG_LEVEL'),
    logFormat: env('LOG_FORMAT'),
  };
}
