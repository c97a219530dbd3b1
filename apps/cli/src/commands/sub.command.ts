import { RoomPosition, RoomRecovery } from '@ces/messenger';
import { isValidEpoch } from '@ces/protocol';
import { Command, InvalidArgumentError } from 'commander';
import { CliError, hubError } from '../cli-error';
import { hubTarget } from '../hub-options';
import { checkRoom } from '../input';
import { openMessenger } from '../messenger-session';
import { eventLine } from '../output';
import { prettyEvent } from '../pretty-json';

interface SubOptions {
  json?: boolean;
  pretty?: boolean;
  count?: number;
  positions?: boolean;
  resumeFrom?: Record<string, RoomPosition>;
}

/** `ROOM=EPOCH:OFFSET`, as `--positions` prints positions; repeatable, one per room. */
function resumePoint(
  value: string,
  previous: Record<string, RoomPosition> = {},
): Record<string, RoomPosition> {
  const match = /^(.+)=([^=:]+):(\d+)$/.exec(value);
  if (!match || !isValidEpoch(match[2]) || !Number.isSafeInteger(Number(match[3])))
    throw new InvalidArgumentError('ROOM=EPOCH:OFFSET, as --positions prints them');
  return { ...previous, [match[1]]: { epoch: match[2], offset: Number(match[3]) } };
}

/** What stderr says of a room resumed after a (re)connect. */
function recoveryLine({ room, recovered, reason, events, position }: RoomRecovery): string {
  if (recovered) return `ces: ${room}: recovered ${events} missed event(s)\n`;
  const at = `${position.epoch}:${position.offset}`;
  return `ces: ${room}: could not recover what was missed (${reason}); going on from ${at}\n`;
}

function positiveCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count <= 0)
    throw new InvalidArgumentError('a positive whole number of events');
  return count;
}

/** How events are printed: readable in a terminal, JSON lines for a program. */
function printerFor(
  options: SubOptions,
): (room: string, body: Buffer, position?: string) => string | undefined {
  const readable = options.pretty || (!options.json && process.stdout.isTTY === true);
  if (!readable) return eventLine;
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  return (room, body, position) => {
    const line = eventLine(room, body);
    if (line === undefined) return undefined;
    const label = position === undefined ? room : `${room} @${position}`;
    return prettyEvent(label, body.toString('utf8').trim(), new Date(), colour);
  };
}

/**
 * `ces sub ROOM...`: prints every event of the rooms until SIGINT or SIGTERM (exit 0), or
 * until `--count` events. In a terminal each event comes with the time it arrived and its
 * room, indented and coloured (no colour with NO_COLOR); otherwise, or with `--json`, as
 * one JSON line `{"room":…,"event":…}`. A dropped connection is redialed (and said so on
 * stderr); a subscription the hub refuses ends the command with exit code 2.
 */
export function subCommand(): Command {
  return new Command('sub')
    .description('print the events of rooms, until interrupted or --count events')
    .argument('<rooms...>', 'rooms to subscribe to')
    .option('--json', 'one JSON line per event, even in a terminal')
    .option('--pretty', 'time, room and indented JSON per event, even in a pipe')
    .option('--count <n>', 'exit 0 after this many events', positiveCount)
    .option(
      '--positions',
      "print each event's position in a history room, and resume those rooms after a dropped connection",
    )
    .option(
      '--resume-from <room=epoch:offset>',
      'first get what the room had after this position (repeatable); implies --positions',
      resumePoint,
    )
    .action(async (rooms: string[], options: SubOptions, command: Command) => {
      rooms.forEach(checkRoom);
      const target = hubTarget(command);
      const print = printerFor(options);
      const recover = options.positions === true || options.resumeFrom !== undefined;
      const { client, ready } = openMessenger(target, rooms, {
        recover,
        resumeFrom: options.resumeFrom,
      });
      client.on('recovery', (recovery) => process.stderr.write(recoveryLine(recovery)));
      await ready;

      let refused: CliError | undefined;
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      let received = 0;
      client.on('event', (room: string, body: Buffer, position?: RoomPosition) => {
        if (options.count !== undefined && received >= options.count) return;
        const at = position && `${position.epoch}:${position.offset}`;
        const text = print(room, body, at);
        if (text === undefined) {
          process.stderr.write(`ces: an event for ${room} is not JSON; skipped\n`);
          return;
        }
        process.stdout.write(text);
        if (++received === options.count) stop();
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
