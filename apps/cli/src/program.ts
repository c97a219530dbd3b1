import { Command } from 'commander';
import { interconnectCommand } from './commands/interconnect.command';
import { linksCommand } from './commands/links.command';
import { pubCommand } from './commands/pub.command';
import { statusCommand } from './commands/status.command';
import { subCommand } from './commands/sub.command';
import { unlinkCommand } from './commands/unlink.command';

const FOOTER = `
Every command takes --hub (default $CES_HUB_URL, else ws://localhost:7100; ws:// and
http:// both work), --token (default $CES_TOKEN, sent as "Authorization: Bearer") and
--timeout. Data goes to stdout, messages to stderr.

Exit codes: 0 done, 1 bad input (invalid JSON, missing or invalid room, bad option),
2 hub unreachable, refusing, or answering with an HTTP error.`;

/** The `ces` command and its subcommands. */
export function createProgram(): Command {
  return new Command('ces')
    .description('Talk to a Central Event System hub from a terminal.')
    .addHelpText('after', FOOTER)
    .addCommand(subCommand())
    .addCommand(pubCommand())
    .addCommand(statusCommand())
    .addCommand(linksCommand())
    .addCommand(interconnectCommand())
    .addCommand(unlinkCommand());
}
