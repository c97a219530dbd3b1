import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import {
  CLIENT_NAME_PARAM,
  HUB_ID_HEADER,
  isValidClientName,
  parsePeerKind,
  PeerKind,
} from '@ces/protocol';
import {
  AdmittedGrants,
  connectionLimitRefusal,
  OPEN_GRANTS,
  originRefusal,
  PeerGrants,
  requestToken,
  UpgradeParams,
  UpgradeRefusal,
} from '@ces/server-kit';
import { AuthError, TokenVerifier } from '../auth/token-verifier.service';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { HubCounters } from '../status/hub-counters';
import { LinkRegistry } from '../interconnect/link-registry';
import { ConnectionsService } from './connections.service';
import { PeerConnection } from './peer-connection';

type Refusal = UpgradeRefusal & { reason: string };

/** The subject the token verifier gives the shared hub-link token. */
const SHARED_LINK_SUBJECT = 'hub-link';

/**
 * Decides, before the websocket upgrade, whether a connect request is accepted:
 * its path names a peer kind, its Origin is allowed, the connection limits have room,
 * its token allows that kind, and a hub link is neither to ourselves nor a second one.
 */
@Injectable()
export class UpgradeGuardService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly connections: ConnectionsService,
    private readonly links: LinkRegistry<PeerConnection>,
    private readonly tokens: TokenVerifier,
    private readonly counters: HubCounters,
  ) {}

  private readonly admitted = new AdmittedGrants();

  readonly check = async (
    request: IncomingMessage,
    params: UpgradeParams,
  ): Promise<UpgradeRefusal | undefined> => {
    const refusal = await this.refusalFor(request, params);
    if (refusal) this.counters.refuse(`upgrade-${refusal.reason}`);
    return refusal;
  };

  /** What the request's credential allows; set for every accepted upgrade. */
  grantsFor(request: IncomingMessage): PeerGrants {
    return this.admitted.of(request) ?? OPEN_GRANTS;
  }

  private async refusalFor(
    request: IncomingMessage,
    params: UpgradeParams,
  ): Promise<Refusal | undefined> {
    const kind = parsePeerKind(params.kind ?? '');
    if (!kind) {
      const message = `unknown connection type "${params.kind}": use messenger, repeater or hub`;
      return { status: 400, reason: 'unknown-type', message };
    }
    const name = new URL(request.url ?? '/', 'http://localhost').searchParams.get(
      CLIENT_NAME_PARAM,
    );
    if (name !== null && !isValidClientName(name)) {
      const message = 'name must be 1–64 characters of letters, digits and . _ : -';
      return { status: 400, reason: 'invalid-name', message };
    }
    const badOrigin = originRefusal(this.config.allowedOrigins, request);
    if (badOrigin) return { ...badOrigin, reason: 'origin' };
    const address = request.socket.remoteAddress ?? '';
    const limit = connectionLimitRefusal('hub', this.connections, address, this.config.tcp);
    if (limit) return limit;
    const auth = await this.authenticate(request, kind);
    if ('reason' in auth) return auth;
    this.admitted.admit(request, auth);
    if (kind !== 'hub') return undefined;
    return this.linkIdentityRefusal(request, auth) ?? this.hubLinkRefusal(request);
  }

  private async authenticate(
    request: IncomingMessage,
    kind: PeerKind,
  ): Promise<PeerGrants | Refusal> {
    const required =
      kind === 'hub' ? this.tokens.linksMustAuthenticate : this.tokens.clientsMustAuthenticate;
    if (!required) return OPEN_GRANTS;
    try {
      const grants = await this.tokens.verify(requestToken(request));
      if (!grants.kinds.has(kind)) {
        return {
          status: 403,
          reason: 'forbidden',
          message: `this token may not connect as ${kind}`,
        };
      }
      return grants;
    } catch (error) {
      const status = error instanceof AuthError ? error.status : 401;
      const reason = status === 401 ? 'unauthenticated' : 'forbidden';
      return {
        status,
        reason,
        message: (error as Error).message,
        headers: { 'WWW-Authenticate': 'Bearer' },
      };
    }
  }

  /**
   * A JWT for a hub link names the hub it was issued to (`sub`): the link must claim that
   * id. The shared link token proves only that the dialer is one of ours.
   */
  private linkIdentityRefusal(request: IncomingMessage, grants: PeerGrants): Refusal | undefined {
    if (grants === OPEN_GRANTS || grants.subject === SHARED_LINK_SUBJECT) return undefined;
    if (grants.subject !== undefined && request.headers[HUB_ID_HEADER] === grants.subject)
      return undefined;
    return {
      status: 403,
      reason: 'link-identity',
      message: 'a hub link token must name the hub that presents it (sub = its hub id)',
    };
  }

  private hubLinkRefusal(request: IncomingMessage): Refusal | undefined {
    const ownId = { [HUB_ID_HEADER]: this.config.hubId };
    const remoteId = request.headers[HUB_ID_HEADER];
    if (remoteId === this.config.hubId) {
      return {
        status: 409,
        reason: 'self-link',
        message: 'a hub cannot link to itself',
        headers: ownId,
      };
    }
    // The first link to a hub stays: a second socket claiming the same id is refused, never
    // preferred. The open link is probed, so a dead one makes room for the next attempt.
    const existing = typeof remoteId === 'string' ? this.links.conflictFor(remoteId) : undefined;
    if (existing) {
      this.connections.probeLink(existing);
      return {
        status: 409,
        reason: 'duplicate-link',
        message: `already linked to hub ${remoteId}`,
        headers: ownId,
      };
    }
    return undefined;
  }
}
