import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpAccess } from './http-access';

const WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when a Content-Type is `application/json` (parameters such as charset allowed). */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0].trim().toLowerCase() === 'application/json';
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (!!length && length !== '0');
}

/**
 * Express middleware: the REST API takes JSON only, and from browsers only same-origin
 * requests that change something. A request that carries a body, or names
 * a content type, other than `application/json` gets 415: a cross-site HTML form can only
 * send form or text bodies, so it cannot reach an endpoint that changes anything.
 */
export function jsonBodiesOnly({ refusals }: Pick<HttpAccess, 'refusals'>) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    if (isCrossSite(request)) {
      refusals.refuse('http-cross-origin');
      return refuse(
        response,
        403,
        'Forbidden',
        'requests that change something must come from this origin',
      );
    }
    const contentType = request.headers['content-type'];
    if (
      WITHOUT_BODY.has(request.method ?? 'GET') ||
      isJsonContentType(contentType) ||
      (contentType === undefined && !hasBody(request))
    )
      return next();
    refusals.refuse('http-unsupported-media-type');
    refuse(response, 415, 'Unsupported Media Type', 'the request body must be application/json');
  };
}

/**
 * A browser names the page's origin on every request that changes something; one from
 * another site (the dashboard's link form attacked from a foreign page) is refused.
 * Clients that are not browsers send no Origin and are not affected.
 */
function isCrossSite(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || WITHOUT_BODY.has(request.method ?? 'GET')) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

function refuse(response: ServerResponse, status: number, error: string, message: string): void {
  const body = JSON.stringify({ statusCode: status, message, error });
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}
