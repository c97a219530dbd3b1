import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LogFormat, LogLevel, ROUTINE_NEST_CONTEXTS } from '../log-levels';
import { redactTokens } from '../request-token';
import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, LevelWithSilent, Logger } from 'pino';

// App-agnostic: the repeater uses this file too. (A candidate for a shared libs/ops library.)

export interface AppLogOptions {
  /** `LOG_LEVEL` of the app. */
  level: LogLevel;
  /** Fields on every line, e.g. `{ app: 'hub', hubId }`. */
  base: Record<string, string>;
  /** Paths whose requests are never logged: probes and scrapes (`/health`, `/metrics`). */
  quietPaths: readonly string[];
  /**
   * Paths where one request is one event (`POST /event`): their answers below 500 are
   * logged at debug, so the default level never gets a line per event.
   */
  eventPaths: readonly string[];
  /** `LOG_FORMAT` of the app; `auto` (the default) is pretty at a terminal outside production. */
  format?: LogFormat;
  /** For tests: overrides `format`. */
  pretty?: boolean;
  /** For tests; by default stdout. */
  destination?: DestinationStream;
}

/**
 * Human-readable output for a person, JSON lines for a collector. `LOG_FORMAT` decides when
 * set (`npm start` sets `pretty`: its output is piped through concurrently, so no TTY);
 * `auto` means pretty at a terminal outside production.
 */
export function wantsPrettyLogs(
  env: NodeJS.ProcessEnv = process.env,
  stdout: { isTTY?: boolean } = process.stdout,
  format: LogFormat = 'auto',
): boolean {
  if (format !== 'auto') return format === 'pretty';
  return env.NODE_ENV !== 'production' && stdout.isTTY === true;
}

/**
 * Nest's start-up lines (a route mapped, a module initialized) come at `log` level: they are
 * written at debug, so `info` shows what an operator needs.
 */
const routineNestLinesAtDebug: pino.LogFn = function (this: Logger, ...args: unknown[]) {
  this.debug(...(args as [object, string]));
};

function isRoutineNestLine(args: unknown[]): boolean {
  const first = args[0] as { context?: unknown } | null;
  return (
    typeof first === 'object' &&
    first !== null &&
    typeof first.context === 'string' &&
    ROUTINE_NEST_CONTEXTS.has(first.context)
  );
}

/** A request's path without its query string. */
function pathOf(request: IncomingMessage): string {
  const url = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url;
  const path = (url ?? '/').split('?', 1)[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * The dashboard passes its token as `?token=` (EventSource cannot send headers): never log it.
 * The query is read by the same rule as the token itself (decoded names, any case).
 */
export function withoutSecrets(url: string | undefined): string | undefined {
  return url === undefined ? undefined : redactTokens(url);
}

/**
 * The app's root pino logger: pretty through the pino-pretty transport (a worker thread)
 * when wanted and installed, JSON lines otherwise.
 */
export function createAppLogger(options: AppLogOptions): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    base: { pid: process.pid, hostname: hostname(), ...options.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(args, method, level) {
        if (level === pino.levels.values.info && isRoutineNestLine(args))
          return routineNestLinesAtDebug.apply(this, args as [string]);
        return method.apply(this, args);
      },
    },
  };
  if (options.destination) return pino(settings, options.destination);
  if (options.pretty ?? wantsPrettyLogs(process.env, process.stdout, options.format)) {
    try {
      const transport = pino.transport({
        target: 'pino-pretty',
        options: {
          // Colour for a terminal, or where FORCE_COLOR asks (concurrently sets it under
          // `npm start`); none in a file or with NO_COLOR.
          colorize: prettyColours(),
          translateTime: 'SYS:HH:MM:ss.l',
          // One line per entry: the Nest context before the message, the fixed fields left out.
          messageFormat: '{if context}[{context}] {end}{msg}',
          ignore: ['pid', 'hostname', 'context', ...Object.keys(options.base)].join(','),
        },
      });
      return pino(settings, transport);
    } catch {
      // pino-pretty is a development dependency: without it, JSON it is.
    }
  }
  return pino(settings);
}

/** Whether pretty lines are coloured: FORCE_COLOR and NO_COLOR decide, else whether stdout is a TTY. */
export function prettyColours(
  env: NodeJS.ProcessEnv = process.env,
  stdout: { isTTY?: boolean } = process.stdout,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stdout.isTTY === true;
}

/** nestjs-pino's settings: the app logger, and request logging that stays out of the way. */
export function appLoggerParams(options: AppLogOptions): Params {
  const quiet = new Set(options.quietPaths);
  const perEvent = new Set(options.eventPaths);
  return {
    pinoHttp: {
      logger: createAppLogger(options),
      autoLogging: { ignore: (request) => quiet.has(pathOf(request)) },
      customLogLevel: (
        request: IncomingMessage,
        response: ServerResponse,
        error?: Error,
      ): LevelWithSilent => {
        if (error || response.statusCode >= 500) return 'error';
        if (perEvent.has(pathOf(request))) return 'debug';
        return response.statusCode >= 400 ? 'warn' : 'info';
      },
      // No headers (they carry bearer tokens), and no token in the URL.
      serializers: {
        req: (request: {
          id?: unknown;
          method?: string;
          url?: string;
          remoteAddress?: string;
        }) => ({
          id: request.id,
          method: request.method,
          url: withoutSecrets(request.url),
          remoteAddress: request.remoteAddress,
        }),
        res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}
