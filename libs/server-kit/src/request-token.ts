import type { IncomingMessage } from 'node:http';

/** The bearer token of a request: the Authorization header, else a `token` query parameter. */
export function requestToken(
  request: Pick<IncomingMessage, 'headers' | 'url'>,
): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match) return match[1].trim();
  }
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
  return query || undefined;
}
