import { Command } from 'commander';
import { hubRequest } from '../hub-http';
import { HubOptionValues, hubTarget, withHubOptions } from '../hub-options';
import { formatStatus } from '../output';

/** `ces status`: a readable summary of the hub's GET /status, or (`--json`) the document itself. */
export function statusCommand(): Command {
  return withHubOptions(
    new Command('status')
      .description("summarize the hub's /status: peers, rooms, links, drops")
      .option('--json', 'print the /status document as JSON instead'),
  ).action(async (options: HubOptionValues & { json?: boolean }) => {
    const { hub, token, timeoutMs } = hubTarget(options);
    const { body } = await hubRequest(hub, '/status', { token, timeoutMs });
    process.stdout.write(`${options.json ? JSON.stringify(body, null, 2) : formatStatus(body)}\n`);
  });
}
