import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { PeerGrants } from './peer-grants';

/**
 * Checks every server applies to an event coming from outside the mesh, besides the wire
 * checks of the protocol's intake: the caller's right to publish into the room, and, for
 * REST, a JSON body (a form-encoded body is what a cross-site HTML form sends).
 */
export function mayPublishInto(grants: PeerGrants | undefined, room: string): boolean {
  return !grants?.mayPublish || grants.mayPublish(room);
}

export function publishForbiddenMessage(room: string): string {
  return `your token does not grant publishing into ${room}`;
}

/** Throws 415 unless the request's body is declared `application/json` (any parameters). */
export function assertJsonBody(headers: IncomingHttpHeaders): void {
  const type = (headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  if (type !== 'application/json')
    throw new UnsupportedMediaTypeException('send the event as application/json');
}
