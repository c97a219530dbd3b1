import {
  BadRequestException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CloseCodes } from '@ces/protocol';
import { ApiErrors, withFieldErrors } from '@ces/server-kit';
import { ConnectionsService } from '../connections/connections.service';
import { HubCounters } from '../status/hub-counters';
import { StatusService } from '../status/status.service';
import { pagePeers, parsePeerQuery, PEER_PAGE } from './peer-query';
import { PEER_PAGE_SCHEMA } from './peers-schemas';

/** The connected peers: one page of a search at a time, and an operator's disconnect. */
@ApiTags('peers')
@ApiBearerAuth()
@ApiErrors({ 401: 'a token is required', 403: 'the token is not an operator’s' })
@Controller('peers')
export class PeersController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly status: StatusService,
    private readonly counters: HubCounters,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Search the connected peers',
    description: `One page of the peers whose id, name, kind, address or remote hub id contains \`q\` (any case), in the order they connected. At most ${PEER_PAGE.maxLimit} a page.`,
  })
  @ApiQuery({ name: 'q', required: false, description: 'text to search for' })
  @ApiQuery({ name: 'kind', required: false, enum: ['messenger', 'repeater', 'hub'] })
  @ApiQuery({ name: 'offset', required: false, description: 'matches to skip (default 0)' })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `page size, 1 to ${PEER_PAGE.maxLimit} (default ${PEER_PAGE.defaultLimit})`,
  })
  @ApiOkResponse({ description: 'one page of peers', schema: PEER_PAGE_SCHEMA })
  @ApiErrors({ 400: withFieldErrors('a parameter is wrong') })
  list(@Query() raw: Record<string, unknown>) {
    const parsed = parsePeerQuery(raw);
    if (!parsed.ok) {
      this.counters.reject('invalid-query');
      throw new BadRequestException({
        statusCode: 400,
        message: 'invalid peer query',
        errors: parsed.errors,
      });
    }
    const { query } = parsed;
    const { matched, page } = pagePeers(this.connections.all, query);
    return {
      at: Date.now(),
      total: this.connections.count,
      matched,
      offset: query.offset,
      limit: query.limit,
      peers: page.map((peer) => this.status.describePeer(peer)),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam({ name: 'id', description: 'the peer’s id, as /status and /peers show it' })
  @ApiOperation({
    summary: 'Disconnect a peer',
    description: `Closes its websocket with ${CloseCodes.disconnectedByOperator} (disconnected by an operator). It is not a ban: the client may connect again.`,
  })
  @ApiNoContentResponse({ description: 'the close was sent' })
  @ApiErrors({ 404: 'no peer has that id' })
  disconnect(@Param('id') id: string): void {
    if (!this.connections.disconnect(id)) throw new NotFoundException(`no peer ${shorten(id)}`);
  }
}

/** An id is echoed in an error only this long: a reply never grows with the input. */
function shorten(id: string): string {
  return id.length <= 64 ? id : `${id.slice(0, 61)}...`;
}
