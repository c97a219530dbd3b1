import { MessengerClient } from '@ces/messenger';
import { CliError, EXIT_HUB } from '../cli-error';
import { HubAddress } from '../hub-address';

/** A connected messenger, or a clear error when the hub cannot be reached in time. */
export async function connectMessenger(
  hub: HubAddress,
  token: string | undefined,
  timeoutMs: number,
): Promise<MessengerClient> {
  const client = new MessengerClient({ hubUrl: hub.ws, token });
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CliError(`cannot reach the hub at ${hub.ws}`, EXIT_HUB)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([client.connect(), timedOut]);
    return client;
  } catch (error) {
    await client.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
