/** The port a hub listens on unless told otherwise. */
export const DEFAULT_HUB_PORT = 7100;

/** One hub, reachable two ways: websockets for events, HTTP for everything else. */
export interface HubAddress {
  /** `ws://` or `wss://`, without a trailing slash: where clients connect. */
  ws: string;
  /** `http://` or `https://`, without a trailing slash: the REST API. */
  http: string;
}

const SCHEMES: Record<string, { ws: string; http: string }> = {
  'ws:': { ws: 'ws', http: 'http' },
  'http:': { ws: 'ws', http: 'http' },
  'wss:': { ws: 'wss', http: 'https' },
  'https:': { ws: 'wss', http: 'https' },
};

/**
 * Reads a hub address: a `ws://`, `wss://`, `http://` or `https://` URL, or a bare
 * `host[:port]` (port 7100 by default), and derives the other scheme. A path is kept (a hub
 * behind a reverse proxy under a prefix); query and fragment are not. Throws an Error that
 * names the input when it is not a hub address.
 */
export function parseHubAddress(input: string): HubAddress {
  const trimmed = input.trim();
  const bare = !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  let url: URL;
  try {
    url = new URL(bare ? `ws://${trimmed}` : trimmed);
  } catch {
    throw new Error(`hub address "${input}" is not a hub address (try ws://host:7100)`);
  }
  const schemes = SCHEMES[url.protocol];
  if (!schemes)
    throw new Error(`hub address "${input}" must be a ws://, wss://, http:// or https:// address`);
  if (!url.hostname) throw new Error(`hub address "${input}" has no host`);
  if (bare && !hasPort(trimmed)) url.port = String(DEFAULT_HUB_PORT);
  const rest = `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return { ws: `${schemes.ws}://${rest}`, http: `${schemes.http}://${rest}` };
}

/** Whether a bare `host[:port][/path]` names a port (`[::1]:80` does, `[::1]` does not). */
function hasPort(bare: string): boolean {
  const authority = bare.split('/')[0].replace(/^\[[^\]]*\]/, '');
  return /:\d+$/.test(authority);
}
