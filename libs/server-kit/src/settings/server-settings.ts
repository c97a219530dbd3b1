import type { AuditOptions } from '../audit-trail';
import type { TcpGateOptions } from '../http/tcp-gate';
import { LOG_FORMATS, LOG_LEVELS, LogFormat, LogLevel } from '../log-levels';
import type { TokenOptions } from '../token-verifier';
import {
  flag,
  oneOf,
  optionalOneOf,
  prefixed,
  SettingReader,
  settingReader,
  settingsClass,
  SettingsOf,
  SettingTable,
  text,
  wholeNumber,
} from './setting-rules';

// The settings both servers have, by their names after the app's prefix (`HUB_`,
// `REPEATER_`). The README's configuration tables describe each.

/** Where the server listens, what it calls itself, and the frames it takes. */
export function listenerSettings(port: number) {
  return {
    HOST: text(),
    PORT: wholeNumber(port, { min: 0, max: 65535 }),
    // Empty: an id is made at startup.
    ID: text('', {
      matches: /^[A-Za-z0-9._:-]{0,64}$/,
      message: 'may only contain letters, digits and . _ : - (64 at most)',
    }),
    MAX_FRAME_BYTES: wholeNumber(1024 * 1024, { min: 64, max: 64 * 1024 * 1024 }),
    PERMESSAGE_DEFLATE: flag(false),
  };
}

/** Shared secrets and JWTs (any of them turns authentication on), and browser origins. */
export const CREDENTIAL_SETTINGS = {
  AUTH_TOKENS: text(),
  JWT_SECRET: text(),
  JWT_PUBLIC_KEY: text(),
  JWT_ALGORITHM: oneOf(['RS256', 'ES256'], 'RS256'),
  JWT_AUDIENCE: text(),
  JWT_ISSUER: text(),
  ALLOWED_ORIGINS: text(),
};

/** What a TCP connection may take before and while it upgrades. */
export const CONNECTION_LIMIT_SETTINGS = {
  MAX_CONNECTIONS: wholeNumber(10_000, { min: 1 }),
  MAX_CONNECTIONS_PER_ADDRESS: wholeNumber(1000, { min: 1 }),
  HEADERS_TIMEOUT_MS: wholeNumber(10_000, { min: 100 }),
  PREUPGRADE_IDLE_MS: wholeNumber(30_000, { min: 100 }),
};

/** How a peer that does not read is treated: dropped frames above the mark, then closed. */
export const BACK_PRESSURE_SETTINGS = {
  SEND_HIGH_WATER_BYTES: wholeNumber(1024 * 1024, { min: 1024 }),
  SLOW_CONSUMER_MS: wholeNumber(10_000, { min: 100 }),
};

/** What the server does to events it takes in from outside. */
export const INTAKE_SETTINGS = {
  EVENT_PROFILE: oneOf(['v2', 'service-event'], 'v2'),
  ENRICH: flag(true),
};

/** The audit trail: '' (off), 'stdout' or a file, rotated by size. */
export const AUDIT_SETTINGS = {
  AUDIT: text(),
  AUDIT_MAX_BYTES: wholeNumber(10 * 1024 * 1024, { min: 0 }),
  AUDIT_MAX_FILES: wholeNumber(5, { min: 1 }),
  AUDIT_QUEUE: wholeNumber(10_000, { min: 1 }),
};

/** Not prefixed: the same names for every app. */
export const LOG_SETTINGS = {
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  LOG_FORMAT: oneOf(LOG_FORMATS, 'auto'),
  NODE_ENV: optionalOneOf(['development', 'production', 'test']),
};

/** `a, b,,c` as `['a', 'b', 'c']`. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function tokenOptionsOf(read: SettingReader<typeof CREDENTIAL_SETTINGS>): TokenOptions {
  return {
    tokens: commaList(read('AUTH_TOKENS')),
    jwtSecret: read('JWT_SECRET'),
    jwtPublicKey: read('JWT_PUBLIC_KEY'),
    jwtAlgorithm: read('JWT_ALGORITHM'),
    jwtAudience: read('JWT_AUDIENCE'),
    jwtIssuer: read('JWT_ISSUER'),
  };
}

export function tcpGateOptionsOf(
  read: SettingReader<typeof CONNECTION_LIMIT_SETTINGS>,
): TcpGateOptions {
  return {
    maxConnections: read('MAX_CONNECTIONS'),
    maxConnectionsPerAddress: read('MAX_CONNECTIONS_PER_ADDRESS'),
    headersTimeoutMs: read('HEADERS_TIMEOUT_MS'),
    idleTimeoutMs: read('PREUPGRADE_IDLE_MS'),
  };
}

export function auditOptionsOf(read: SettingReader<typeof AUDIT_SETTINGS>): AuditOptions {
  return {
    target: read('AUDIT'),
    maxBytes: read('AUDIT_MAX_BYTES'),
    maxFiles: read('AUDIT_MAX_FILES'),
    queueLimit: read('AUDIT_QUEUE'),
  };
}

/**
 * Every setting of a server: what all servers have and its own, under its prefix, and the
 * log settings. `port` is the default port.
 */
export function serverSettings<P extends string, S extends SettingTable>(
  prefix: P,
  port: number,
  own: S,
) {
  return {
    ...prefixed(prefix, {
      ...listenerSettings(port),
      ...own,
      ...BACK_PRESSURE_SETTINGS,
      ...CREDENTIAL_SETTINGS,
      ...CONNECTION_LIMIT_SETTINGS,
      ...INTAKE_SETTINGS,
      ...AUDIT_SETTINGS,
    }),
    ...LOG_SETTINGS,
  };
}

/** The class @nestjs/config validates a server's settings with (see `settingsClass`). */
export function serverSettingsClass<P extends string, S extends SettingTable>(
  name: string,
  prefix: P,
  port: number,
  own: S,
): new () => SettingsOf<ReturnType<typeof serverSettings<P, S>>> {
  return settingsClass(name, serverSettings(prefix, port, own));
}

/** What every server's services read of its settings, in the shape they use. */
export interface ServerConfig {
  host: string;
  port: number;
  perMessageDeflate: boolean;
  auth: TokenOptions;
  allowedOrigins: string[];
  tcp: TcpGateOptions;
  audit: AuditOptions;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

const SHARED_SETTINGS = {
  ...listenerSettings(0),
  ...CREDENTIAL_SETTINGS,
  ...CONNECTION_LIMIT_SETTINGS,
  ...AUDIT_SETTINGS,
};

/** The shared part of a server's config, from its validated settings (see `serverSettings`). */
export function serverConfigOf(settings: object, prefix: string): ServerConfig {
  const read = settingReader(settings, prefix, SHARED_SETTINGS);
  const logs = settings as { LOG_LEVEL: LogLevel; LOG_FORMAT: LogFormat };
  return {
    host: read('HOST'),
    port: read('PORT'),
    perMessageDeflate: read('PERMESSAGE_DEFLATE'),
    auth: tokenOptionsOf(read),
    allowedOrigins: commaList(read('ALLOWED_ORIGINS')),
    tcp: tcpGateOptionsOf(read),
    audit: auditOptionsOf(read),
    logLevel: logs.LOG_LEVEL,
    logFormat: logs.LOG_FORMAT,
  };
}
