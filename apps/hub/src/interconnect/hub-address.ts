import { connectPath } from '@ces/protocol';

export const DEFAULT_HUB_PORT = 7100;

/**
 * Turns what an operator gives to /interconnect — `host`, `host:port`, or a `ws://` /
 * `wss://` URL — into the URL to dial. Throws a readable error for anything else.
 */
export function hubLinkUrl(address: string): string {
  const trimmed = address.trim();
  if (!trimmed) throw new Error('the hub address is empty');
  const withScheme = /^[a-z]+:\/\//i.test(trimmed) ? trimmed : `ws://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`"${address}" is not a host, host:port or ws:// URL`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`"${address}" must use ws:// or wss://`);
  }
  if (!url.hostname) throw new Error(`"${address}" has no host`);
  if (url.username || url.password)
    throw new Error('credentials in the hub address are not accepted');
  if (!url.port && url.protocol === 'ws:') url.port = String(DEFAULT_HUB_PORT);
  if (url.pathname === '/' || url.pathname === '') url.pathname = connectPath('hub');
  url.hash = '';
  return url.toString();
}
