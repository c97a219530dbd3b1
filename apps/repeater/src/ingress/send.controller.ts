import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { eventBodySchema, INVALID_EVENT_SCHEMA } from '../dashboard/api-schemas';
import { RepeaterCounters } from '../status/repeater-counters';
import { HubUplinkService } from '../uplink/hub-uplink.service';
import { AuditTrail, ClientRoute } from '@ces/server-kit';
import { checkEvent } from './event-intake';
import { auditIntake } from './ingress-audit';

/** `POST /send` (the original's) and `POST /event`: a v2 event from outside, forwarded to the hub. */
@ApiTags('events')
@ClientRoute()
@Controller()
export class SendController {
  constructor(
    @Inject(REPEATER_CONFIG) private readonly config: RepeaterConfig,
    private readonly uplink: HubUplinkService,
    private readonly counters: RepeaterCounters,
    private readonly audit: AuditTrail,
  ) {}

  @Post(['send', 'event'])
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send an event to the hub',
    description:
      'Validated by the event profile (REPEATER_EVENT_PROFILE, REPEATER_VALIDATION) and forwarded to the hub; buffered while the uplink is down. `/send` is the original system’s path.',
  })
  @ApiBody({ schema: eventBodySchema('REPEATER_EVENT_PROFILE') })
  @ApiAcceptedResponse({
    description: 'forwarded',
    schema: { type: 'object', properties: { room: { type: 'string', example: 'ITB-1101' } } },
  })
  @ApiBadRequestResponse({ description: 'not a valid event', schema: INVALID_EVENT_SCHEMA })
  send(@Body() body: unknown): { room: string } {
    const bytes = Buffer.from(JSON.stringify(body ?? null));
    const result = checkEvent(body, bytes, this.config.intake);
    auditIntake(this.audit, { kind: 'http' }, result);
    if (!result.ok) {
      this.counters.reject('invalid-event');
      throw new BadRequestException({
        statusCode: 400,
        message: result.error,
        errors: result.details,
      });
    }
    this.uplink.forward(result.room, result.event);
    this.counters.count('ingress-http');
    return { room: result.room };
  }
}
