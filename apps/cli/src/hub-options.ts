import { Command, InvalidArgumentError, Option } from 'commander';
import { ContextStore } from './contexts';
import { DEFAULT_HUB, HubAddress, hubAddress } from './hub-address';

/** The options every command shares, as commander parses them. */
export interface HubOptionValues {
  hub?: string;
  token?: string;
  timeout: number;
  context?: string;
}

/** The same, resolved: where the hub is, how to authenticate, how long to wait. */
export interface HubTarget {
  hub: HubAddress;
  token?: string;
  timeoutMs: number;
}

function milliseconds(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new InvalidArgumentError('a positive whole number of milliseconds');
  return ms;
}

/**
 * Adds `--hub`, `--token`, `--timeout` and `--context` to the program. They are global:
 * commander takes them before or after the command (`ces --hub X status`, `ces status --hub X`).
 */
export function withHubOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--hub <url>',
        `the hub (or repeater): ws://, wss://, http://, https:// or host[:port] (default: the context's, else ${DEFAULT_HUB})`,
      ).env('CES_HUB_URL'),
    )
    .addOption(new Option('--token <token>', 'bearer token for the hub').env('CES_TOKEN'))
    .addOption(
      new Option('--timeout <ms>', 'how long to wait for the hub to answer or accept a connection')
        .argParser(milliseconds)
        .default(10_000),
    )
    .addOption(
      new Option('--context <name>', 'use this saved context instead of the current one').env(
        'CES_CONTEXT',
      ),
    );
}

/**
 * Where to connect, for the command being run. Precedence: the option given, then its
 * environment variable (CES_HUB_URL, CES_TOKEN), then the context (--context, else the
 * current one), then the default hub.
 */
export function hubTarget(command: Command, store = new ContextStore()): HubTarget {
  const options = command.optsWithGlobals<HubOptionValues>();
  const contextName = options.context || store.current();
  const context = contextName ? store.get(contextName) : {};
  return {
    hub: hubAddress(options.hub || context.hub || DEFAULT_HUB),
    token: options.token || context.token || undefined,
    timeoutMs: options.timeout,
  };
}
