import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  Inject,
  Post,
  Req,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  encodeFrame,
  enrichEvent,
  EventProfile,
  eventProfile,
  FieldError,
  isValidRoom,
} from '@ces/protocol';
import { refusedEntry } from '../audit/audit-entries';
import { AuditService } from '../audit/audit.service';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import {
  AuthenticatedRequest,
  ClientRoute,
  ERROR_SCHEMA,
  eventBodySchema,
  INVALID_EVENT_SCHEMA,
} from '@ces/server-kit';
import { EventForwarder } from '../forwarding/event-forwarder.service';
import { HubCounters } from '../status/hub-counters';

/**
 * `POST /event`: an event from outside, validated by the configured profile (v2, or seed
 * 003's service event, routed by its name), stamped, and routed as if a messenger sent it.
 */
@ApiTags('events')
@ApiBearerAuth()
@ClientRoute()
@Controller('event')
export class EventController {
  private readonly profile: EventProfile;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly forwarder: EventForwarder,
    private readonly counters: HubCounters,
    private readonly audit: AuditService,
  ) {
    this.profile = eventProfile(config.eventProfile);
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
  @ApiBadRequestResponse({ description: 'not a valid event', schema: INVALID_EVENT_SCHEMA })
  @ApiUnauthorizedResponse({ description: 'a token is required', schema: ERROR_SCHEMA })
  @ApiForbiddenResponse({
    description: 'the token does not grant publishing into the room',
    schema: ERROR_SCHEMA,
  })
  publish(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
  ): { room: string; id?: string } {
    const result = this.profile.validate(body);
    if (!result.ok) return this.refuse('invalid-event', result.errors);
    const event = result.event;
    const room = this.profile.roomOf(event);
    if (room === undefined || !isValidRoom(room, this.config.frameLimits)) {
      return this.refuse('invalid-event', [
        {
          field: this.profile.roomField,
          errors: [`${this.profile.roomField} is required to route the event`],
        },
      ]);
    }
    if (request.grants?.mayPublish && !request.grants.mayPublish(room)) {
      this.counters.reject('publish-forbidden');
      this.audit.record(refusedEntry({ kind: 'api' }, 'publish-forbidden', [], room));
      throw new ForbiddenException(`your token does not grant publishing into ${room}`);
    }
    const bytes = Buffer.from(JSON.stringify(event));
    const stamped = this.config.enrich ? enrichEvent(bytes, event, this.profile) : bytes;
    this.forwarder.forward('api', undefined, encodeFrame(room, stamped));
    const id = this.config.enrich
      ? (JSON.parse(stamped.toString()) as { id?: string }).id
      : undefined;
    return { room, id };
  }

  private refuse(reason: string, errors: FieldError[]): never {
    this.counters.reject(reason);
    this.audit.record(refusedEntry({ kind: 'api' }, reason, errors));
    throw new BadRequestException({
      statusCode: 400,
      message: `invalid ${this.profile.name} event`,
      errors,
    });
  }
}
