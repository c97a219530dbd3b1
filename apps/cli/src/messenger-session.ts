import { MessengerClient, MessengerOptions } from '@ces/messenger';
import { hubError } from './cli-error';
import { HubTarget } from './hub-options';

/** A messenger on its way to the hub. */
export interface MessengerSession {
  client: MessengerClient;
  /**
   * Resolves once the hub has accepted the connection. Rejects with a CliError (exit 2) at
   * the first failed attempt or after the timeout: a CLI reports, it does not retry quietly.
   * Awaiting it is optional; an unawaited rejection is not an unhandled one.
   */
  ready: Promise<void>;
}

/**
 * Starts connecting a messenger to the hub, subscribed to `rooms` (if any), receiving
 * events as bytes (raw).
 */
export function openMessenger(
  target: HubTarget,
  rooms: string[] = [],
  extra: Pick<MessengerOptions, 'recover' | 'resumeFrom'> = {},
): MessengerSession {
  const { hub, token, timeoutMs } = target;
  const client = new MessengerClient({
    hubUrl: hub.ws,
    token,
    rooms,
    raw: true,
    handshakeTimeoutMs: timeoutMs,
    ...extra,
  });
  const ready = new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      client.off('error', onError);
      if (!error) return resolve();
      reject(error);
      void client.close();
    };
    const onError = (error: Error) => settle(connectionError(target, error));
    const timer = setTimeout(
      () => settle(hubError(`no answer from the hub at ${hub.ws} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    client.on('error', onError);
    client.connect().then(
      () => settle(),
      (error: Error) => settle(connectionError(target, error)),
    );
  });
  ready.catch(() => undefined);
  return { client, ready };
}

function connectionError({ hub, token }: HubTarget, error: Error): Error {
  const refused = /refused the connection: HTTP (\d+)/.exec(error.message);
  if (!refused) return hubError(`cannot reach the hub at ${hub.ws}: ${error.message}`);
  const hint = refused[1] === '401' && !token ? ' (give a token with --token or CES_TOKEN)' : '';
  return hubError(`the hub at ${hub.ws} refused the connection: HTTP ${refused[1]}${hint}`);
}
