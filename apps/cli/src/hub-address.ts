import { CliError, EXIT_BAD_INPUT, EXIT_HUB } from './cli-error';

export interface HubAddress {
  /** ws:// or wss:// — for sockets. */
  ws: string;
  /** http:// or https:// — for REST. */
  http: string;
}

/** Accepts `ws://`, `wss://`, `http://`, `https://` or a bare `host:port`, and derives the other scheme. */
export function hubAddress(input: string): HubAddress {
  const withScheme = /^[a-z]+:\/\//i.test(input) ? input : `ws://${input}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError(`"${input}" is not a hub address`, EXIT_BAD_INPUT);
  }
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    throw new CliError(
      `"${input}" must be a ws://, wss://, http:// or https:// address`,
      EXIT_BAD_INPUT,
    );
  }
  const base = `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return {
    ws: `${secure ? 'wss' : 'ws'}://${base}`,
    http: `${secure ? 'https' : 'http'}://${base}`,
  };
}

/** GET/POST/DELETE against the hub, with the token; an HTTP error or no answer is a CliError. */
export async function hubRequest(
  hub: HubAddress,
  path: string,
  token?: string,
  method = 'GET',
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${hub.http}${path}`, {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : undefined,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach the hub at ${hub.http}: ${(error as Error).message}`,
      EXIT_HUB,
    );
  }
  const text = await response.text();
  if (!response.ok)
    throw new CliError(`the hub answered ${response.status}: ${text.trim()}`, EXIT_HUB);
  return text ? JSON.parse(text) : undefined;
}
