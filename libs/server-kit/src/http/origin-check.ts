import type { IncomingMessage } from 'node:http';
import type { UpgradeRefusal } from '../upgrade-refusal';

/**
 * A browser's websocket must come from an allowed origin (when the app names any); a
 * request without an Origin header is not a browser's and is not checked.
 */
export function originRefusal(
  allowedOrigins: readonly string[],
  request: Pick<IncomingMessage, 'headers'>,
): UpgradeRefusal | undefined {
  const origin = request.headers.origin;
  if (!origin || allowedOrigins.length === 0 || allowedOrigins.includes(origin)) return undefined;
  return { status: 403, message: `origin ${origin} is not allowed` };
}
