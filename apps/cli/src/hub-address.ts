import { HubAddress, parseHubAddress } from '@ces/protocol';
import { badInput } from './cli-error';

export type { HubAddress };

/** The hub's default address, as `--hub` takes it. */
export const DEFAULT_HUB = 'ws://localhost:7100';

/**
 * Reads `--hub` by the rules every client shares (`parseHubAddress`): a URL of any of the
 * four schemes or a bare `host[:port]`; a bad one is the user's input error (exit code 1).
 */
export function hubAddress(input: string): HubAddress {
  try {
    return parseHubAddress(input);
  } catch (error) {
    throw badInput(`--hub: ${(error as Error).message}`);
  }
}
