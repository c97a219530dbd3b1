import type { LogLevel as NestLogLevel } from '@nestjs/common';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** The LOG_LEVEL setting of both apps. */
export type LogLevel = (typeof LOG_LEVELS)[number];

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** The Nest logger levels that LOG_LEVEL turns on. */
export function nestLogLevels(level: LogLevel): NestLogLevel[] {
  return NEST_LEVELS[level];
}

export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;

/**
 * The LOG_FORMAT setting of both apps: `pretty` lines for a person, `json` lines for a log
 * collector, `auto` pretty when stdout is a terminal (outside production), JSON otherwise.
 */
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Nest's start-up chatter: a line per module initialized, per controller and per route
 * mapped (dozens per app). Worth seeing when debugging, noise at `info`.
 */
export const ROUTINE_NEST_CONTEXTS: ReadonlySet<string> = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestFactory',
]);
