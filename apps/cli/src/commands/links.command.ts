import { Command } from 'commander';
import { hubRequest } from '../hub-http';
import { hubTarget } from '../hub-options';
import { formatLinks } from '../output';

/** `ces links`: the hub's links to other hubs (GET /interconnect), both directions, as a table. */
export function linksCommand(): Command {
  return new Command('links')
    .description("list the hub's links to other hubs")
    .option('--json', 'print the links as JSON instead')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { hub, token, timeoutMs } = hubTarget(command);
      const { body } = await hubRequest(hub, '/interconnect', { token, timeoutMs });
      process.stdout.write(`${options.json ? JSON.stringify(body, null, 2) : formatLinks(body)}\n`);
    });
}
