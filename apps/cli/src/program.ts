import { Command } from 'commander';
import { benchCommand } from './commands/bench.command';
import { contextCommand } from './commands/context.command';
import { interconnectCommand } from './commands/interconnect.command';
import { linksCommand } from './commands/links.command';
import { pubCommand } from './commands/pub.command';
import { statusCommand } from './commands/status.command';
import { subCommand } from './commands/sub.command';
import { unlinkCommand } from './commands/unlink.command';
import { withHubOptions } from './hub-options';
import { CLI_VERSION } from './version';

const FOOTER = `
--hub, --token, --timeout and --context go before or after the command. The hub is
--hub, else $CES_HUB_URL, else the current context's (ces context), else ws://localhost:7100;
ws:// and http:// both work. The token is --token, else $CES_TOKEN, else the context's,
sent as "Authorization: Bearer". Data goes to stdout, messages to stderr.

Exit codes: 0 done, 1 bad input (invalid JSON, an event that is not an object, missing or
invalid room, bad option), 2 hub unreachable, refusing, or answering with an HTTP error.`;

/** The `ces` command and its subcommands. */
export function createProgram(): Command {
  return withHubOptions(
    new Command('ces')
      .description('Talk to a Central Event System hub (or repeater) from a terminal.')
      .version(CLI_VERSION, '-V, --version', 'print the version of ces')
      .configureHelp({ showGlobalOptions: true })
      .addHelpText('after', FOOTER),
  )
    .addCommand(subCommand())
    .addCommand(pubCommand())
    .addCommand(statusCommand())
    .addCommand(benchCommand())
    .addCommand(linksCommand())
    .addCommand(interconnectCommand())
    .addCommand(unlinkCommand())
    .addCommand(contextCommand());
}
