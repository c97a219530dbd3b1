import { Command } from 'commander';
import { badInput } from '../cli-error';
import { ContextStore } from '../contexts';
import { hubAddress } from '../hub-address';
import { HubOptionValues } from '../hub-options';
import { formatTable } from '../output';

/**
 * `ces context save|use|ls|show|rm`: named connection settings, stored under
 * $XDG_CONFIG_HOME/ces (else ~/.config/ces), as `nats context` does. The current context
 * gives --hub and --token to every command that is not given them.
 */
export function contextCommand(store = () => new ContextStore()): Command {
  const context = new Command('context').description(
    'save named hub settings (--hub, --token) and choose the current one',
  );

  context
    .command('save')
    .description('save --hub and --token (as given now) under a name')
    .argument('<name>', 'letters, digits and . _ -')
    .option('--select', 'also make it the current context')
    .action((name: string, options: { select?: boolean }, command: Command) => {
      const { hub, token } = command.optsWithGlobals<HubOptionValues>();
      if (!hub && !token) throw badInput('give --hub and/or --token to save in the context');
      if (hub) hubAddress(hub);
      const contexts = store();
      const file = contexts.save(name, { ...(hub && { hub }), ...(token && { token }) });
      if (options.select) contexts.use(name);
      process.stdout.write(
        `saved context ${name} (${file})${options.select ? ', now current' : ''}\n`,
      );
    });

  actOnContext(context, 'use', 'make a saved context the current one', (name) => {
    store().use(name);
    return `using context ${name}`;
  });

  context
    .command('ls')
    .alias('list')
    .description('list the saved contexts; * marks the current one')
    .action(() => {
      const contexts = store();
      const names = contexts.names();
      if (names.length === 0) {
        process.stdout.write('no contexts (save one with `ces context save NAME --hub …`)\n');
        return;
      }
      const current = contexts.current();
      const rows = names.map((name) => {
        const saved = contexts.get(name);
        return [name === current ? '*' : ' ', name, saved.hub ?? '-', saved.token ? 'yes' : 'no'];
      });
      process.stdout.write(`${formatTable([[' ', 'NAME', 'HUB', 'TOKEN'], ...rows])}\n`);
    });

  context
    .command('show')
    .description('print a context (the current one by default), the token masked')
    .argument('[name]')
    .action((name: string | undefined) => {
      const contexts = store();
      const chosen = name ?? contexts.current();
      if (!chosen) throw badInput('no current context (choose one with `ces context use NAME`)');
      const saved = contexts.get(chosen);
      process.stdout.write(
        `${JSON.stringify({ name: chosen, hub: saved.hub, token: saved.token ? '***' : undefined }, null, 2)}\n`,
      );
    });

  actOnContext(context, 'rm', 'delete a saved context', (name) => {
    store().remove(name);
    return `removed context ${name}`;
  }).alias('remove');

  return context;
}

/** A subcommand that does one thing to the context it names, and prints what it did. */
function actOnContext(
  parent: Command,
  name: string,
  description: string,
  act: (context: string) => string,
): Command {
  return parent
    .command(name)
    .description(description)
    .argument('<name>')
    .action((context: string) => {
      process.stdout.write(`${act(context)}\n`);
    });
}
