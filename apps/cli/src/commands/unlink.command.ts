import { Command } from 'commander';
import { hubRequest } from '../hub-http';
import { hubTarget } from '../hub-options';
import { linkPath } from './interconnect.command';

/** `ces unlink ADDRESS`: DELETE /interconnect/ADDRESS, for a link the hub dialed. */
export function unlinkCommand(): Command {
  return new Command('unlink')
    .description('remove a link the hub dialed to another hub')
    .argument('<address>', 'the address the link was made with')
    .action(async (address: string, _options: object, command: Command) => {
      const { hub, token, timeoutMs } = hubTarget(command);
      await hubRequest(hub, linkPath(address), { method: 'DELETE', token, timeoutMs });
      process.stdout.write(`unlinked ${address}\n`);
    });
}
