import { badInput } from './cli-error';

/** The hub's default address, as `--hub` takes it. */
export const DEFAULT_HUB = 'ws://localhost:7100';
const DEFAULT_PORT = '7100';

/** One hub, reachable two ways: websockets for events, HTTP for everything else. */
export interface HubAddress {
  /** `ws://` or `wss://`, without a trailing slash: where messengers connect. */
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
 * Reads `--hub`: a `ws://`, `wss://`, `http://` or `https://` URL, or a bare `host[:port]`
 * (port 7100 by default, as for the hub's own addresses), and derives the other scheme.
 * A path is kept (a hub behind a reverse proxy under a prefix); query and fragment are not.
 */
export function hubAddress(input: string): HubAddress {
  const trimmed = input.trim();
  const bare = !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  let url: URL;
  try {
    url = new URL(bare ? `ws://${trimmed}` : trimmed);
  } catch {
    throw badInput(`--hub "${input}" is not a hub address (try ws://host:7100)`);
  }
  const schemes = SCHEMES[url.protocol];
  if (!schemes)
    throw badInput(`--hub "${input}" must be a ws://, wss://, http:// or https:// address`);
  if (!url.hostname) throw badInput(`--hub "${input}" has no host`);
  if (bare && !hasPort(trimmed)) url.port = DEFAULT_PORT;
  const rest = `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return { ws: `${schemes.ws}://${rest}`, http: `${schemes.http}://${rest}` };
}

/** Whether a bare `host[:port][/path]` names a port (`[::1]:80` does, `[::1]` does not). */
function hasPort(bare: string): boolean {
  const authority = bare.split('/')[0].replace(/^\[[^\]]*\]/, '');
  return /:\d+$/.test(authority);
}
