import type { IncomingMessage } from 'node:http';

/** One parameter of a query string: as written, and decoded as URLSearchParams decodes it. */
export interface QueryParameter {
  /** The `name=value` piece exactly as it appears in the URL. */
  raw: string;
  /** The name as written (still percent-encoded). */
  rawName: string;
  name: string;
  value: string;
}

/**
 * The one rule for which query parameter carries a bearer token: its decoded name is `token`,
 * in any case (`token`, `TOKEN`, `%74oken`, `t%4Fken`…). Token reading and log redaction both
 * use it, so whatever could authenticate a request is also what never reaches a log.
 */
export function isTokenParameter(decodedName: string): boolean {
  return decodedName.toLowerCase() === 'token';
}

/** The query string of a request target (between the first `?` and the first `#`). */
function queryOf(url: string): string {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const question = beforeHash.indexOf('?');
  return question === -1 ? '' : beforeHash.slice(question + 1);
}

/**
 * The parameters of a request target's query, split and decoded exactly as URLSearchParams
 * does (`&` between pieces, the first `=` between name and value, `+` and `%XX` decoded).
 */
export function queryParameters(url: string): QueryParameter[] {
  const parameters: QueryParameter[] = [];
  for (const raw of queryOf(url).split('&')) {
    if (raw === '') continue;
    const equals = raw.indexOf('=');
    const [[name, value]] = [...new URLSearchParams(raw)];
    parameters.push({ raw, rawName: equals === -1 ? raw : raw.slice(0, equals), name, value });
  }
  return parameters;
}

/** The bearer token of a request: the Authorization header, else the first token query parameter. */
export function requestToken(
  request: Pick<IncomingMessage, 'headers' | 'url'>,
): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match) return match[1].trim();
  }
  const parameter = queryParameters(request.url ?? '/').find(({ name }) => isTokenParameter(name));
  return parameter?.value || undefined;
}

const REDACTED = '[redacted]';

/** Names, beside the token parameter, whose values are secrets by convention (OAuth's). */
const OTHER_SECRET_PARAMETERS = new Set(['access_token']);

/**
 * The URL with the value of every token parameter (by the same reading as requestToken) and
 * every `access_token` replaced, and any fragment dropped: what a log line may show.
 */
export function redactTokens(url: string): string {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const question = beforeHash.indexOf('?');
  const fragment = hash === -1 ? '' : `#${REDACTED}`;
  if (question === -1) return beforeHash + fragment;
  const query = beforeHash
    .slice(question + 1)
    .split('&')
    .map((raw) => {
      const [parameter] = queryParameters(`?${raw}`);
      if (!parameter) return raw;
      const secret =
        isTokenParameter(parameter.name) ||
        OTHER_SECRET_PARAMETERS.has(parameter.name.toLowerCase());
      return secret ? `${parameter.rawName}=${REDACTED}` : raw;
    })
    .join('&');
  return `${beforeHash.slice(0, question)}?${query}${fragment}`;
}
