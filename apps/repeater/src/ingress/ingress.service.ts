import { Inject, Injectable } from '@nestjs/common';
import { checkEvent, FieldError, IntakeResult, takeInEvent } from '@ces/protocol';
import { AuditTrail, mayPublishInto, PeerGrants, publishForbiddenMessage } from '@ces/server-kit';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { RepeaterCounters } from '../status/repeater-counters';
import { HubUplinkService } from '../uplink/hub-uplink.service';
import { auditIntake, IngressSource } from './ingress-audit';

/** An event taken in and sent on to the hub, or why it was refused. */
export type IngressOutcome =
  | { ok: true; room: string; id?: string }
  | {
      ok: false;
      /** 400: not a valid event; 403: the credential does not grant its room. */
      status: 400 | 403;
      error: string;
      details: FieldError[];
    };

/** What came in: the bytes of a socket message, or a parsed REST body. */
export type IngressInput =
  | { kind: 'message'; data: Buffer; connectionRoom?: string }
  /** `bytes`: the size of the request body. */
  | { kind: 'body'; body: unknown; bytes: number };

/**
 * The repeater's one intake: outside sockets, `POST /send` and `POST /event` all come through
 * here — the protocol's wire checks, the credential's publish grants, the audit line, the
 * counters, and the uplink to the hub.
 */
@Injectable()
export class IngressService {
  constructor(
    @Inject(REPEATER_CONFIG) private readonly config: RepeaterConfig,
    private readonly uplink: HubUplinkService,
    private readonly counters: RepeaterCounters,
    private readonly audit: AuditTrail,
  ) {}

  takeIn(input: IngressInput, grants: PeerGrants, source: IngressSource): IngressOutcome {
    if (input.kind === 'message') this.counters.bytesIn.websocket += input.data.length;
    else this.counters.bytesIn.http += input.bytes;
    const result = this.check(input);
    if (!result.ok) {
      auditIntake(this.audit, source, result);
      this.refuseOrReject(input, 'invalid-event');
      return { ok: false, status: 400, error: result.error, details: result.details };
    }
    if (!mayPublishInto(grants, result.room)) {
      const error = publishForbiddenMessage(result.room);
      auditIntake(this.audit, source, { ok: false, error, details: [] });
      this.refuseOrReject(input, 'publish-forbidden');
      return { ok: false, status: 403, error, details: [] };
    }
    auditIntake(this.audit, source, result);
    this.uplink.forward(result.room, result.event);
    this.counters.count(`ingress-${source.kind}`);
    return { ok: true, room: result.room, id: result.id };
  }

  /** A refused request body is an HTTP refusal; a refused socket message, a rejected frame. */
  private refuseOrReject(input: IngressInput, reason: string): void {
    if (input.kind === 'body') this.counters.refuse(reason);
    else this.counters.reject(reason);
  }

  private check(input: IngressInput): IntakeResult {
    const { intake } = this.config;
    if (input.kind === 'message') return takeInEvent(input.data, intake, input.connectionRoom);
    return checkEvent(input.body, Buffer.from(JSON.stringify(input.body ?? null)), intake);
  }
}
