import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  Post,
  Req,
} from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/http-auth.guard';
import { encodeFrame, roomOfV2Event, validateV2Event } from '@ces/protocol';
import { EventForwarder } from '../forwarding/event-forwarder.service';
import { HubCounters } from '../status/hub-counters';

/** `POST /event`: a v2 event from outside, routed as if a messenger had sent it. */
@Controller('event')
export class EventController {
  constructor(
    private readonly forwarder: EventForwarder,
    private readonly counters: HubCounters,
  ) {}

  @Post()
  @HttpCode(202)
  publish(@Body() body: unknown, @Req() request: AuthenticatedRequest): { room: string } {
    const result = validateV2Event(body);
    const errors = result.ok ? [] : result.errors;
    const room = roomOfV2Event(body);
    if (result.ok && room === undefined) {
      errors.push({
        field: 'affected-room.roomID',
        errors: ['affected-room.roomID is required to route the event'],
      });
    }
    if (errors.length > 0 || room === undefined) {
      this.counters.reject('invalid-event');
      throw new BadRequestException({ statusCode: 400, message: 'invalid event', errors });
    }
    if (request.grants?.mayPublish && !request.grants.mayPublish(room)) {
      this.counters.reject('publish-forbidden');
      throw new ForbiddenException(`your token does not grant publishing into ${room}`);
    }
    if (!this.forwarder.forward('api', undefined, encodeFrame(room, body))) {
      throw new BadRequestException({
        statusCode: 400,
        message: 'invalid event',
        errors: [{ field: 'affected-room.roomID', errors: ['not a usable room id'] }],
      });
    }
    return { room };
  }
}
