/**
 * A client may name itself when it connects, so the hub can show `billing-worker` instead of
 * `messenger-17`. The name travels as a query parameter of the connect URL
 * (`/connect/messenger?name=billing-worker`) because a browser's WebSocket cannot set headers.
 * Without it a client keeps the id the hub gives it, and the original Go hub ignores it.
 */
export const CLIENT_NAME_PARAM = 'name';

export const MAX_CLIENT_NAME_LENGTH = 64;

/**
 * A messenger that is an instance of a service of the hub's registry says so the same way
 * (`?service=notifier`); the hub then gives it that service's subscriptions.
 */
export const SERVICE_PARAM = 'service';

/** Letters, digits and `. _ : -`: safe in logs, metrics labels, URLs and the dashboard. */
const CLIENT_NAME = /^[A-Za-z0-9._:-]{1,64}$/;

export class InvalidClientNameError extends Error {
  constructor(value: string) {
    const shown = value.length > MAX_CLIENT_NAME_LENGTH ? `${value.slice(0, 64)}…` : value;
    super(
      `client name "${shown}" must be 1 to ${MAX_CLIENT_NAME_LENGTH} characters of A-Z a-z 0-9 . _ : -`,
    );
    this.name = 'InvalidClientNameError';
  }
}

export function isValidClientName(value: unknown): value is string {
  return typeof value === 'string' && CLIENT_NAME.test(value);
}

/**
 * Reads a client name as given (an option, or the `name` query parameter): undefined when
 * absent (null, undefined), the name when valid, and an InvalidClientNameError otherwise —
 * an empty parameter included, so `?name=` is refused rather than taken for no name.
 */
export function parseClientName(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isValidClientName(value)) throw new InvalidClientNameError(value);
  return value;
}

/** The connect URL with the client's name on it, or unchanged without a name. */
export function withClientName(url: string, name: string | undefined): string {
  if (name === undefined) return url;
  return withParam(url, CLIENT_NAME_PARAM, parseClientName(name)!);
}

/** The connect URL with the service the client is an instance of, or unchanged without one. */
export function withService(url: string, service: string | undefined): string {
  return service === undefined ? url : withParam(url, SERVICE_PARAM, service);
}

function withParam(url: string, param: string, value: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}${param}=${encodeURIComponent(value)}`;
}
