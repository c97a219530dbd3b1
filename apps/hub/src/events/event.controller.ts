import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  HttpException,
  Inject,
  Post,
  Req,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { checkEvent, encodeFrame, eventProfile, FieldError, IntakeOptions } from '@ces/protocol';
import { refusedEntry } from '../audit/audit-entries';
import { AuditService } from '../audit/audit.service';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import {
  assertJsonBody,
  AuthenticatedRequest,
  ClientRoute,
  ApiErrors,
  eventBodySchema,
  mayPublishInto,
  publishForbiddenMessage,
  withFieldErrors,
} from '@ces/server-kit';
import { PeerConnection } from '../connections/peer-connection';
import { DurableDelivery } from '../durable/durable-delivery';
import { EventForwarder } from '../forwarding/event-forwarder.service';
import { AddressRateLimit } from '../limits/address-rate-limit';
import { HubCounters } from '../status/hub-counters';

/**
 * `POST /event`: an event from outside, taken in by the protocol's intake (the same checks as
 * the repeater's sockets and REST), stamped, and routed as if a messenger sent it.
 */
@ApiTags('events')
@ApiBearerAuth()
@ClientRoute()
@Controller('event')
export class EventController {
  private readonly intake: IntakeOptions;
  private readonly rateLimit: AddressRateLimit;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly forwarder: EventForwarder,
    private readonly durable: DurableDelivery<PeerConnection>,
    private readonly counters: HubCounters,
    private readonly audit: AuditService,
  ) {
    this.intake = {
      profile: eventProfile(config.eventProfile),
      enrich: config.enrich,
      limits: config.frameLimits,
    };
    this.rateLimit = new AddressRateLimit(config.limits.publishRate, config.limits.publishBurst);
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Publish an event',
    description:
      'Validated by the event profile (HUB_EVENT_PROFILE), stamped when HUB_ENRICH is on, and routed as if a messenger sent it.',
  })
  @ApiBody({ schema: eventBodySchema('HUB_EVENT_PROFILE') })
  @ApiAcceptedResponse({
    description: 'routed',
    schema: {
      type: 'object',
      properties: {
        room: { type: 'string', example: 'ITB-1101' },
        id: { type: 'string', description: 'the id it was stamped with (HUB_ENRICH)' },
      },
    },
  })
  @ApiErrors({
    400: withFieldErrors('not a valid event'),
    401: 'a token is required',
    403: 'the token does not grant publishing into the room',
    429: 'over HUB_PUBLISH_RATE',
  })
  async publish(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
  ): Promise<{ room: string; id?: string }> {
    assertJsonBody(request.headers);
    if (!this.rateLimit.take(request.socket.remoteAddress ?? '')) {
      this.counters.drop('rate-limited');
      this.counters.refuse('rate-limited');
      throw new HttpException({ statusCode: 429, message: 'over the publish rate' }, 429);
    }
    const result = checkEvent(body, Buffer.from(JSON.stringify(body ?? null)), this.intake);
    if (!result.ok) return this.refuse('invalid-event', result.error, result.details);
    const { room, event, id } = result;
    if (!mayPublishInto(request.grants, room)) {
      this.counters.refuse('publish-forbidden');
      this.audit.record(refusedEntry({ kind: 'api' }, 'publish-forbidden', [], room));
      throw new ForbiddenException(publishForbiddenMessage(room));
    }
    this.forwarder.forward('api', undefined, encodeFrame(room, event));
    // 202 once a durable group's copy is stored: a restart of the hub cannot lose it now.
    await this.durable.stored();
    return { room, id: this.intake.enrich ? id : undefined };
  }

  private refuse(reason: string, message: string, errors: FieldError[]): never {
    this.counters.refuse(reason);
    this.audit.record(refusedEntry({ kind: 'api' }, reason, errors));
    throw new BadRequestException({ statusCode: 400, message, errors });
  }
}
