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
