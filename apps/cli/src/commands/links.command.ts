import { Command } from 'commander';
import { hubRequest } from '../hub-http';
import { HubOptionValues, hubTarget, withHubOptions } from '../hub-options';
import { formatLinks } from '../output';

/** `ces links`: the hub's links to other hubs (GET /interconnect), both directions, as a table. */
export function linksCommand(): Command {
  return withHubOptions(
    new Command('links')
      .description("list the hub's links to other hubs")
      .option('--json', 'print the links as JSON instead'),
  ).action(async (options: HubOptionValues & { json?: boolean }) => {
    const { hub, token, timeoutMs } = hubTarget(options);
    const { body } = await hubRequest(hub, '/interconnect', { token, timeoutMs });
    process.stdout.write(`${options.json ? JSON.stringify(body, null, 2) : formatLinks(body)}\n`);
  });
}
