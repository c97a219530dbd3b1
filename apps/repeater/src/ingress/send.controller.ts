import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  Post,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  ApiErrors,
  assertJsonBody,
  AuthError,
  ClientRoute,
  eventBodySchema,
  PeerGrants,
  withFieldErrors,
} from '@ces/server-kit';
import { IngressService } from './ingress.service';
import { RequestGrantsService } from './request-grants.service';

/** `POST /send` (the original's) and `POST /event`: a v2 event from outside, forwarded to the hub. */
@ApiTags('events')
@ClientRoute()
@Controller()
export class SendController {
  constructor(
    private readonly ingress: IngressService,
    private readonly grants: RequestGrantsService,
  ) {}

  @Post(['send', 'event'])
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send an event to the hub',
    description:
      'Validated by the event profile (REPEATER_EVENT_PROFILE, REPEATER_VALIDATION) and forwarded to the hub; buffered while the uplink is down. The body must be application/json; a token limited to rooms may only publish into its `publish` rooms. `/send` is the original system’s path.',
  })
  @ApiBody({ schema: eventBodySchema('REPEATER_EVENT_PROFILE') })
  @ApiAcceptedResponse({
    description: 'forwarded',
    schema: { type: 'object', properties: { room: { type: 'string', example: 'ITB-1101' } } },
  })
  @ApiErrors({
    400: withFieldErrors('not a valid event'),
    403: 'the token does not grant publishing into the room',
    415: 'the body is not application/json',
  })
  async send(@Body() body: unknown, @Req() request: Request): Promise<{ room: string }> {
    assertJsonBody(request.headers);
    const input = { kind: 'body', body, bytes: bodyBytes(request, body) } as const;
    const outcome = this.ingress.takeIn(input, await this.grantsOf(request), {
      kind: 'http',
      remoteAddress: request.socket.remoteAddress,
    });
    if (outcome.ok) return { room: outcome.room };
    if (outcome.status === 403) throw new ForbiddenException(outcome.error);
    throw new BadRequestException({
      statusCode: 400,
      message: outcome.error,
      errors: outcome.details,
    });
  }

  private async grantsOf(request: Request): Promise<PeerGrants> {
    try {
      return await this.grants.grantsOf(request);
    } catch (error) {
      if (error instanceof AuthError) throw new UnauthorizedException(error.message);
      throw error;
    }
  }
}

/** The body's size as sent; a chunked body (no Content-Length) counts as its JSON. */
function bodyBytes(request: Request, body: unknown): number {
  const declared = Number(request.headers['content-length']);
  return Number.isFinite(declared) ? declared : Buffer.byteLength(JSON.stringify(body ?? null));
}
