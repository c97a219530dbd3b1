import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { WILDCARD_ROOM } from '@ces/protocol';
import {
  AdmittedGrants,
  AuthError,
  connectionLimitRefusal,
  PeerGrants,
  subscribesEverywhere,
} from '@ces/server-kit';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { RequestGrantsService } from '../ingress/request-grants.service';
import { RepeaterCounters } from '../status/repeater-counters';
import { OutsideConnectionsService } from './outside-connections.service';

export interface AdmissionRefusal {
  status: number;
  message: string;
  reason: string;
}

/**
 * Decides, before an outside socket's upgrade completes, whether it may open: the connection
 * limits have room, and its token grants the room it asks for — `/connect/*` only with a token
 * that grants every room. The grants of an admitted request are kept for its connection.
 */
@Injectable()
export class OutsideAdmissionService {
  constructor(
    @Inject(REPEATER_CONFIG) private readonly config: RepeaterConfig,
    private readonly connections: OutsideConnectionsService,
    private readonly grants: RequestGrantsService,
    private readonly counters: RepeaterCounters,
  ) {}

  private readonly admitted = new AdmittedGrants();

  /** What the admitted request's token grants. */
  grantsFor(request: IncomingMessage): PeerGrants | undefined {
    return this.admitted.of(request);
  }

  async admit(
    request: IncomingMessage,
    room: string | undefined,
  ): Promise<AdmissionRefusal | undefined> {
    const address = request.socket.remoteAddress ?? '';
    const refusal =
      connectionLimitRefusal('repeater', this.connections, address, this.config.tcp) ??
      (await this.grantRefusal(request, room));
    if (refusal) this.counters.refuse(`upgrade-${refusal.reason}`);
    return refusal;
  }

  private async grantRefusal(
    request: IncomingMessage,
    room: string | undefined,
  ): Promise<AdmissionRefusal | undefined> {
    let grants: PeerGrants;
    try {
      grants = await this.grants.grantsOf(request);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return { status: 401, reason: 'unauthenticated', message: error.message };
    }
    if (room === WILDCARD_ROOM && !subscribesEverywhere(grants))
      return { status: 403, reason: 'forbidden', message: 'your token does not grant every room' };
    if (
      room !== undefined &&
      room !== WILDCARD_ROOM &&
      grants.maySubscribe &&
      !grants.maySubscribe(room)
    )
      return {
        status: 403,
        reason: 'forbidden',
        message: `your token does not grant room ${room}`,
      };
    this.admitted.admit(request, grants);
    return undefined;
  }
}
