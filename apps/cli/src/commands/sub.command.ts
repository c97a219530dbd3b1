import { HubAddress } from '../hub-address';
import { connectMessenger } from './connect-messenger';

/** `ces sub ROOM...`: prints every event of the rooms as a JSON line, until interrupted. */
export async function subscribeCommand(
  hub: HubAddress,
  rooms: string[],
  token: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const client = await connectMessenger(hub, token, timeoutMs);
  client.on('event', (room: string, event: unknown) =>
    process.stdout.write(`${JSON.stringify({ room, event })}\n`),
  );
  client.subscribe(...rooms);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await client.close();
}
