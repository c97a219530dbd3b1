import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { HUB_ID_HEADER, parsePeerKind } from '@ces/protocol';
import { UpgradeParams, UpgradeRefusal } from '@ces/protocol/server';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { HubCounters } from '../status/hub-counters';
import { ConnectionsService } from './connections.service';

/** Decides, before the websocket upgrade, whether a connect request is accepted. */
@Injectable()
export class UpgradeGuardService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly connections: ConnectionsService,
    private readonly counters: HubCounters,
  ) {}

  readonly check = (
    request: IncomingMessage,
    params: UpgradeParams,
  ): UpgradeRefusal | undefined => {
    const refusal = this.refusalFor(request, params);
    if (refusal) this.counters.reject(`upgrade-${refusal.status}`);
    return refusal;
  };

  private refusalFor(request: IncomingMessage, params: UpgradeParams): UpgradeRefusal | undefined {
    const kind = parsePeerKind(params.kind ?? '');
    if (!kind) {
      return {
        status: 400,
        message: `unknown connection type "${params.kind}": use messenger, repeater or hub`,
      };
    }
    if (kind !== 'hub') return undefined;
    const ownId = { [HUB_ID_HEADER]: this.config.hubId };
    const remoteId = request.headers[HUB_ID_HEADER];
    if (remoteId === this.config.hubId) {
      return { status: 409, message: 'a hub cannot link to itself', headers: ownId };
    }
    const existing = typeof remoteId === 'string' ? this.connections.hubLink(remoteId) : undefined;
    // Keep the link dialed by the smaller id: when that is ours and it is open, refuse theirs.
    // (A second link they dial replaces their first one: it may be a hub that restarted.)
    if (existing?.isOpen && existing.direction === 'out' && this.config.hubId < String(remoteId)) {
      return { status: 409, message: `already linked to hub ${remoteId}`, headers: ownId };
    }
    return undefined;
  }
}
