import { Command } from 'commander';
import { commandRequest, printDocument } from '../command-request';
import { formatLinks } from '../output';

/** `ces links`: the hub's links to other hubs (GET /interconnect), both directions, as a table. */
export function linksCommand(): Command {
  return new Command('links')
    .description("list the hub's links to other hubs")
    .option('--json', 'print the links as JSON instead')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { body } = await commandRequest(command, '/interconnect');
      printDocument(body, options.json, () => formatLinks(body));
    });
}
