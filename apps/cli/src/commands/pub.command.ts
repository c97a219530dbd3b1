import { createInterface } from 'node:readline';
import { CliError, EXIT_BAD_INPUT } from '../cli-error';
import { HubAddress } from '../hub-address';
import { connectMessenger } from './connect-messenger';

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${where} is not valid JSON`, EXIT_BAD_INPUT);
  }
}

/** The events to publish: the argument, or one JSON document per line of stdin. */
async function eventsToSend(json: string | undefined): Promise<unknown[]> {
  if (json !== undefined) return [parse(json, 'the event')];
  const events: unknown[] = [];
  let line = 0;
  for await (const text of createInterface({ input: process.stdin })) {
    line++;
    if (text.trim()) events.push(parse(text, `line ${line}`));
  }
  return events;
}

/** `ces pub ROOM [JSON]`: sends the events, waits until they have left, and exits. */
export async function publishCommand(
  hub: HubAddress,
  room: string,
  json: string | undefined,
  token: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const events = await eventsToSend(json);
  const client = await connectMessenger(hub, token, timeoutMs);
  try {
    for (const event of events) client.send(room, event);
    while (client.stats().buffered > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    await client.close();
  }
  process.stderr.write(`sent ${events.length} event(s) to ${room}\n`);
}
