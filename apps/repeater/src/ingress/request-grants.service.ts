import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { OPEN_GRANTS, PeerGrants, requestToken, TokenVerifier } from '@ces/server-kit';

/**
 * What the credential of a request allows on this repeater: every room with authentication
 * off, else what its token grants (the same claims as the hub's). Throws AuthError for a
 * missing or invalid token; a token the auth guard let through is verified again here, as
 * the grants are needed where the events are (sockets, REST bodies), not only at the door.
 */
@Injectable()
export class RequestGrantsService {
  constructor(private readonly tokens: TokenVerifier) {}

  async grantsOf(request: Pick<IncomingMessage, 'headers' | 'url'>): Promise<PeerGrants> {
    if (!this.tokens.clientsMustAuthenticate) return OPEN_GRANTS;
    return this.tokens.verify(requestToken(request));
  }
}
