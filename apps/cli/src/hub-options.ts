import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_HUB, HubAddress, hubAddress } from './hub-address';

/** The options every command shares, as commander parses them. */
export interface HubOptionValues {
  hub: string;
  token?: string;
  timeout: number;
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

/** Adds `--hub`, `--token` and `--timeout` to a command. */
export function withHubOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--hub <url>', 'the hub: ws://, wss://, http://, https:// or host[:port]')
        .env('CES_HUB_URL')
        .default(DEFAULT_HUB),
    )
    .addOption(new Option('--token <token>', 'bearer token for the hub').env('CES_TOKEN'))
    .addOption(
      new Option('--timeout <ms>', 'how long to wait for the hub to answer or accept a connection')
        .argParser(milliseconds)
        .default(10_000),
    );
}

export function hubTarget(options: HubOptionValues): HubTarget {
  return {
    hub: hubAddress(options.hub),
    token: options.token || undefined,
    timeoutMs: options.timeout,
  };
}
