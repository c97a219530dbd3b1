import { Command } from 'commander';
import { commandRequest } from '../command-request';

interface LinkView {
  state?: string;
  remoteHubId?: string;
  lastError?: string;
}

/**
 * `ces interconnect ADDRESS`: POST /interconnect/ADDRESS. The hub answers after its first
 * attempt; a link that is not open yet still exists (the hub keeps redialing it), so that
 * is exit 0 with the reason on stderr.
 */
export function interconnectCommand(): Command {
  return new Command('interconnect')
    .description('link the hub to another hub (it redials the link until unlinked)')
    .argument('<address>', 'the other hub: host, host:port (7100 by default) or ws:// URL')
    .action(async (address: string, _options: object, command: Command) => {
      const { status, body } = await commandRequest<LinkView>(command, linkPath(address), {
        method: 'POST',
        // The hub answers after the first attempt, which it gives 5 s.
        minTimeoutMs: 6000,
      });
      const link = body ?? {};
      const peer = link.remoteHubId ? ` (hub ${link.remoteHubId})` : '';
      process.stdout.write(
        `${status === 201 ? 'linked' : 'already linked'} to ${address}: ${link.state ?? '?'}${peer}\n`,
      );
      if (link.state !== 'open')
        process.stderr.write(
          `ces: the link is not open yet${link.lastError ? ` (${link.lastError})` : ''}; the hub keeps trying\n`,
        );
    });
}

/** `:address` is one path segment: a ws:// URL goes URL-encoded. */
export const linkPath = (address: string) => `/interconnect/${encodeURIComponent(address)}`;
