import { hubError } from './cli-error';
import { HubAddress } from './hub-address';

export interface HubRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  token?: string;
  timeoutMs: number;
}

export interface HubResponse<T> {
  status: number;
  body: T;
}

/**
 * One call to the hub's REST API, with the bearer token. No answer, an HTTP error or an
 * answer that is not JSON becomes a CliError with exit code 2 and a one-line message.
 */
export async function hubRequest<T = unknown>(
  hub: HubAddress,
  path: string,
  { method = 'GET', token, timeoutMs }: HubRequest,
): Promise<HubResponse<T>> {
  const url = `${hub.http}${path}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    if ((error as Error).name === 'TimeoutError')
      throw hubError(`no answer from the hub at ${hub.http} within ${timeoutMs} ms`);
    throw hubError(`cannot reach the hub at ${hub.http}: ${reasonOf(error)}`);
  }
  if (!response.ok) {
    const hint =
      response.status === 401 && !token ? ' (give a token with --token or CES_TOKEN)' : '';
    throw hubError(
      `the hub answered ${response.status} ${response.statusText}${messageOf(text)}${hint}`,
    );
  }
  if (!text) return { status: response.status, body: undefined as T };
  try {
    return { status: response.status, body: JSON.parse(text) as T };
  } catch {
    throw hubError(`the answer from ${url} is not JSON: is ${hub.http} a CES hub?`);
  }
}

/** fetch's own message is "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is its cause. */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.message || cause?.code || (error as Error).message;
}

/** Nest's error bodies: `{"statusCode":404,"message":"…","error":"Not Found"}`, message maybe a list. */
function messageOf(body: string): string {
  try {
    const { message } = JSON.parse(body) as { message?: unknown };
    if (Array.isArray(message)) return `: ${message.join('; ')}`;
    if (typeof message === 'string' && message) return `: ${message}`;
  } catch {
    // not JSON: fall through
  }
  const line = body.trim().split('\n')[0];
  return line ? `: ${line.slice(0, 200)}` : '';
}
