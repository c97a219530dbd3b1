import { waitFor } from './wait-for';

/* Tests read JSON documents loosely; the assertions say what shape they expect. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<Json> {
  const response = await fetch(url, { headers });
  return response.json();
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Waits until the hub at `httpUrl` has applied a subscription to `room`, as its /status shows.
 * A request that fails is "not yet": after a restart on the same port, a pooled connection from
 * before the restart can fail a request ("other side closed", seen once in a clean-clone run).
 */
export function untilSubscribed(
  httpUrl: string,
  room: string,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<void> {
  const subscribed = async () => {
    const response = await fetch(`${httpUrl}/status`, { headers: options.headers }).catch(
      () => undefined,
    );
    if (!response?.ok) return false;
    return room in ((await response.json()) as Json).rooms;
  };
  return waitFor(subscribed, `a subscription to ${room}`, options.timeoutMs);
}
