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
 * Express middleware: the REST API takes JSON only. A request that carries a body, or names
 * a content type, other than `application/json` gets 415: a cross-site HTML form can only
 * send form or text bodies, so it cannot reach an endpoint that changes anything.
 */
export function jsonBodiesOnly({ rejections }: Pick<HttpAccess, 'rejections'>) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const contentType = request.headers['content-type'];
    if (
      WITHOUT_BODY.has(request.method ?? 'GET') ||
      isJsonContentType(contentType) ||
      (contentType === undefined && !hasBody(request))
    )
      return next();
    rejections.reject('http-unsupported-media-type');
    const body = JSON.stringify({
      statusCode: 415,
      message: 'the request body must be application/json',
      error: 'Unsupported Media Type',
    });
    response.writeHead(415, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    response.end(body);
  };
}
