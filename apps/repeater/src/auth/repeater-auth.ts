import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import {
  AuthError,
  originRefusal,
  requestToken,
  TokenVerifier,
  UpgradeRefusal,
} from '@ces/server-kit';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { RepeaterCounters } from '../status/repeater-counters';

/**
 * Who may use the repeater: when a token setting is on, outside sockets and REST callers
 * present a bearer token (header or `token` query parameter); browsers must come from an
 * allowed origin.
 */
@Injectable()
export class RepeaterAuth extends TokenVerifier {
  constructor(
    @Inject(REPEATER_CONFIG) private readonly config: RepeaterConfig,
    private readonly counters: RepeaterCounters,
  ) {
    super(config.auth);
  }

  /** The websocket upgrade guard: a refusal answers before any websocket exists. */
  readonly checkUpgrade = async (request: IncomingMessage): Promise<UpgradeRefusal | undefined> => {
    const badOrigin = originRefusal(this.config.allowedOrigins, request);
    if (badOrigin) {
      this.counters.refuse('upgrade-origin');
      return badOrigin;
    }
    const refusal = await this.refusal(request);
    if (refusal)
      this.counters.refuse(`upgrade-${refusal.status === 401 ? 'unauthenticated' : 'forbidden'}`);
    return refusal;
  };

  /** Undefined when the request may go on; else the HTTP refusal. */
  async refusal(
    request: Pick<IncomingMessage, 'headers' | 'url'>,
  ): Promise<UpgradeRefusal | undefined> {
    if (!this.clientsMustAuthenticate) return undefined;
    try {
      await this.verify(requestToken(request));
      return undefined;
    } catch (error) {
      const status = error instanceof AuthError ? error.status : 401;
      return {
        status,
        message: (error as Error).message,
        headers: { 'WWW-Authenticate': 'Bearer' },
      };
    }
  }
}
