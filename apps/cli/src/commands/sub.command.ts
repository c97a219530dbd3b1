import { Command } from 'commander';
import { CliError, hubError } from '../cli-error';
import { HubOptionValues, hubTarget, withHubOptions } from '../hub-options';
import { checkRoom } from '../input';
import { openMessenger } from '../messenger-session';
import { eventLine } from '../output';

/**
 * `ces sub ROOM...`: prints every event of the rooms as a JSON line `{"room":…,"event":…}`
 * on stdout until SIGINT or SIGTERM (exit 0). A dropped connection is redialed (and said so
 * on stderr); a subscription the hub refuses ends the command with exit code 2.
 */
export function subCommand(): Command {
  return withHubOptions(
    new Command('sub')
      .description('print the events of rooms as JSON lines, until interrupted')
      .argument('<rooms...>', 'rooms to subscribe to'),
  ).action(async (rooms: string[], options: HubOptionValues) => {
    rooms.forEach(checkRoom);
    const target = hubTarget(options);
    const { client, ready } = openMessenger(target, rooms);
    await ready;

    let refused: CliError | undefined;
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    client.on('event', (room: string, body: Buffer) => {
      const line = eventLine(room, body);
      if (line) process.stdout.write(line);
      else process.stderr.write(`ces: an event for ${room} is not JSON; skipped\n`);
    });
    client.on('error', (error: Error & { details?: unknown }) => {
      // A text frame {"error": …} from the hub answers our one control message: the subscription.
      if (error.details !== undefined) {
        refused = hubError(`the hub refused the subscription: ${error.message}${details(error)}`);
        stop();
      } else if (client.state === 'open') process.stderr.write(`ces: ${error.message}\n`);
      // (While reconnecting, each failed attempt is an error too: the state change says enough.)
    });
    let lost = false;
    client.on('state', (state: string) => {
      // Any state but open or closed: after a drop the client says `connecting` before it
      // says `reconnecting`.
      if ((state === 'connecting' || state === 'reconnecting') && !lost) {
        lost = true;
        process.stderr.write(`ces: lost the hub at ${target.hub.ws}; reconnecting\n`);
      } else if (state === 'open' && lost) {
        lost = false;
        process.stderr.write(`ces: reconnected to ${target.hub.ws}\n`);
      }
    });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (process.stderr.isTTY)
      process.stderr.write(`ces: listening to ${rooms.join(', ')}; Ctrl-C to stop\n`);

    await stopped;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await client.close();
    if (refused) throw refused;
  });
}

function details(error: { details?: unknown }): string {
  const list = Array.isArray(error.details) ? error.details : [];
  const notes = list.flatMap((detail: { errors?: unknown }) =>
    Array.isArray(detail?.errors) ? detail.errors.map(String) : [],
  );
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}
