import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { MessengerClient } from '@ces/messenger';
import { CliError, hubError } from '../cli-error';
import { hubTarget, HubTarget } from '../hub-options';
import { checkEvent, checkRoom } from '../input';
import { openMessenger } from '../messenger-session';

/** Events waiting in the messenger beyond which stdin is not read until they drain. */
const MAX_WAITING = 1000;

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * `ces pub ROOM [JSON]`: publishes the event given, or one event per line of stdin (blank
 * lines skipped) as the lines arrive, then waits until everything has reached the hub and
 * exits 0. Invalid JSON, or JSON that is not an object, stops it with exit code 1 (the lines before it are published);
 * a hub that cannot be reached, is lost on the way or refuses an event gives exit code 2.
 */
export function pubCommand(): Command {
  return new Command('pub')
    .description('publish an event: the JSON object given, or one JSON object per line of stdin')
    .argument('<room>', 'the room to publish to')
    .argument('[json]', 'the event; without it, events are read from stdin, one per line')
    .action(async (room: string, json: string | undefined, _options: object, command: Command) => {
      checkRoom(room);
      const event = json === undefined ? undefined : checkEvent(json, 'the event');
      const target = hubTarget(command);
      const publisher = new Publisher(target, room);
      try {
        if (event !== undefined) publisher.send(event);
        else await publisher.sendLines();
        await publisher.finish();
      } finally {
        await publisher.client.close();
      }
      publisher.throwIfFailed();
      if (process.stderr.isTTY)
        process.stderr.write(`ces: published ${publisher.sent} event(s) to ${room}\n`);
    });
}

class Publisher {
  readonly client: MessengerClient;
  sent = 0;
  private readonly ready: Promise<void>;
  private failure?: CliError;
  /** Stops reading stdin once publishing has failed. */
  private readonly reading = new AbortController();

  constructor(
    private readonly target: HubTarget,
    private readonly room: string,
  ) {
    ({ client: this.client, ready: this.ready } = openMessenger(target));
    this.ready.then(
      () => this.watch(),
      (error: CliError) => this.fail(error),
    );
  }

  send(event: string): void {
    this.client.send(this.room, event);
    this.sent++;
  }

  /** Reads stdin line by line, sending each event as it comes; stops early on a failure. */
  async sendLines(): Promise<void> {
    if (process.stdin.isTTY)
      process.stderr.write('ces: reading events from stdin, one JSON per line; Ctrl-D to end\n');
    const lines = createInterface({
      input: process.stdin,
      crlfDelay: Infinity,
      signal: this.reading.signal,
    });
    let number = 0;
    try {
      for await (const line of lines) {
        number++;
        if (this.failure) break;
        if (line.trim() === '') continue;
        this.send(checkEvent(line, `line ${number}`));
        while (this.client.stats().buffered >= MAX_WAITING && !this.failure) await tick();
      }
    } catch (error) {
      if (this.reading.signal.aborted) return;
      // Bad input: publish what came before it, then report it.
      await this.finish().catch(() => undefined);
      throw error;
    } finally {
      lines.close();
      process.stdin.destroy();
    }
  }

  /** Waits for the connection, then until every event has been handed to the socket. */
  async finish(): Promise<void> {
    await this.ready;
    while (this.client.stats().buffered > 0 && !this.failure) await tick();
  }

  private fail(error: CliError): void {
    this.failure ??= error;
    this.reading.abort();
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** After connecting: a lost hub or a refused event is a failure. */
  private watch(): void {
    this.client.on('state', (state: string) => {
      // Any state but open or closed: after a drop the client says `connecting` before it
      // says `reconnecting`.
      if (state === 'connecting' || state === 'reconnecting')
        this.fail(
          hubError(
            `lost the hub at ${this.target.hub.ws}; some events may not have been published`,
          ),
        );
    });
    this.client.on('error', (error: Error & { details?: unknown }) => {
      if (error.details !== undefined)
        this.fail(hubError(`the hub refused an event: ${error.message}`));
    });
  }
}
