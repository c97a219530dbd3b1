import { Command } from 'commander';
import { commandRequest } from '../command-request';
import { linkPath } from './interconnect.command';

/** `ces unlink ADDRESS`: DELETE /interconnect/ADDRESS, for a link the hub dialed. */
export function unlinkCommand(): Command {
  return new Command('unlink')
    .description('remove a link the hub dialed to another hub')
    .argument('<address>', 'the address the link was made with')
    .action(async (address: string, _options: object, command: Command) => {
      await commandRequest(command, linkPath(address), { method: 'DELETE' });
      process.stdout.write(`unlinked ${address}\n`);
    });
}
