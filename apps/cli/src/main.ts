import 'reflect-metadata';
import { Command } from 'commander';
import { CliError, EXIT_BAD_INPUT } from './cli-error';
import {
  interconnectCommand,
  linksCommand,
  statusCommand,
  unlinkCommand,
} from './commands/admin.command';
import { publishCommand } from './commands/pub.command';
import { subscribeCommand } from './commands/sub.command';
import { hubAddress } from './hub-address';

interface CommonOptions {
  hub: string;
  token?: string;
  timeout: string;
}

const program = new Command('ces').description(
  'Talk to a Central Event System hub from a terminal',
);
const withHub = (command: Command) =>
  command
    .option(
      '--hub <url>',
      'the hub (ws:// or http://)',
      process.env.CES_HUB_URL ?? 'ws://localhost:7100',
    )
    .option('--token <token>', 'bearer token (or env CES_TOKEN)', process.env.CES_TOKEN)
    .option('--timeout <ms>', 'give up connecting after this long', '5000');

withHub(
  program
    .command('sub')
    .description('print the events of rooms as JSON lines')
    .argument('<rooms...>'),
).action((rooms: string[], options: CommonOptions) =>
  subscribeCommand(hubAddress(options.hub), rooms, options.token, Number(options.timeout)),
);
withHub(
  program
    .command('pub')
    .description('publish an event (the argument, or one JSON per line of stdin)')
    .argument('<room>')
    .argument('[json]'),
).action((room: string, json: string | undefined, options: CommonOptions) =>
  publishCommand(hubAddress(options.hub), room, json, options.token, Number(options.timeout)),
);
withHub(
  program
    .command('status')
    .description('summarize the hub’s /status')
    .option('--json', 'print the JSON'),
).action((options: CommonOptions & { json?: boolean }) =>
  statusCommand(hubAddress(options.hub), options.token, options.json === true),
);
withHub(
  program.command('interconnect').description('link the hub to another hub').argument('<address>'),
).action((address: string, options: CommonOptions) =>
  interconnectCommand(hubAddress(options.hub), address, options.token),
);
withHub(
  program.command('unlink').description('remove a link to another hub').argument('<address>'),
).action((address: string, options: CommonOptions) =>
  unlinkCommand(hubAddress(options.hub), address, options.token),
);
withHub(program.command('links').description('list the hub’s links')).action(
  (options: CommonOptions) => linksCommand(hubAddress(options.hub), options.token),
);

program.exitOverride();
program
  .parseAsync(process.argv)
  .then(() => process.exit(0))
  .catch((error: Error & { exitCode?: number; code?: string }) => {
    if (error.code?.startsWith('commander.'))
      process.exit(
        error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
          ? 0
          : EXIT_BAD_INPUT,
      );
    process.stderr.write(`ces: ${error.message}\n`);
    process.exit(error instanceof CliError ? error.exitCode : EXIT_BAD_INPUT);
  });
