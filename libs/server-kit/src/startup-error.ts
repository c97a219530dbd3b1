import { ConfigurationError } from './settings';

/** Which app failed to start, and the settings that name where it listens. */
export interface StartupContext {
  /** `hub` or `repeater`: the first word of every line. */
  app: string;
  /** `HUB_PORT` / `REPEATER_PORT`. */
  portSetting: string;
  /** `HUB_HOST` / `REPEATER_HOST`. */
  hostSetting: string;
}

interface ListenError {
  code?: string;
  syscall?: string;
  address?: string;
  port?: number;
}

/** A terminal that takes colour: a TTY, and NO_COLOR not set (https://no-color.org). */
export function colourAllowed(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

const paint = (on: boolean, code: number, text: string) =>
  on ? `\u001b[${code}m${text}\u001b[39m` : text;

/**
 * What went wrong at startup, as lines an operator can act on: each names the setting, the
 * value and what is allowed. Never a stack trace.
 */
export function describeStartupFailure(error: unknown, context: StartupContext): string[] {
  if (error instanceof ConfigurationError) return error.message.split('\n');
  const listen = error as ListenError;
  if (listen?.syscall === 'listen') {
    const port = `${context.portSetting}=${listen.port ?? '?'}`;
    switch (listen.code) {
      case 'EADDRINUSE':
        return [
          `${port} is not usable: the port is in use; stop what listens there or choose another port`,
        ];
      case 'EACCES':
        return [`${port} is not usable: this user may not listen on it; choose a port above 1023`];
      case 'EADDRNOTAVAIL':
        return [
          `${context.hostSetting}=${JSON.stringify(listen.address ?? '')} is not valid: an address of this machine's interfaces, or empty for all`,
        ];
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return [`cannot start: ${message.split('\n')[0]}`];
}

/** Writes a startup failure to stderr, one line per problem, `hub: error: …`. */
export function reportStartupFailure(
  error: unknown,
  context: StartupContext,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): void {
  const label = paint(colourAllowed(stream), 31, 'error');
  for (const line of describeStartupFailure(error, context))
    stream.write(`${context.app}: ${label}: ${line}\n`);
}

/** Writes a warning found before the start (an unknown setting) to stderr, `hub: warning: …`. */
export function reportStartupWarning(
  message: string,
  context: Pick<StartupContext, 'app'>,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): void {
  stream.write(`${context.app}: ${paint(colourAllowed(stream), 33, 'warning')}: ${message}\n`);
}
