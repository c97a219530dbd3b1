import { Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, LINK_SCHEMA, RequiresKind } from '@ces/server-kit';
import { InterconnectService, LinkView } from './interconnect.service';

const ADDRESS_PARAM = {
  name: 'address',
  description: 'host, host:port (port 7100 by default) or a URL-encoded ws:// or wss:// URL',
  example: 'hub-b.example.com:7100',
};

/**
 * Links between hubs. `:address` is `host`, `host:port` (default port 7100) or a
 * URL-encoded ws:// or wss:// URL.
 */
@ApiTags('interconnect')
@ApiBearerAuth()
@Controller('interconnect')
export class InterconnectController {
  constructor(private readonly interconnect: InterconnectService) {}

  @Post(':address')
  @RequiresKind('hub')
  @ApiParam(ADDRESS_PARAM)
  @ApiOperation({
    summary: 'Link to another hub',
    description:
      'Answers after the first attempt (at most 5 s). A dropped link redials by itself until it is deleted; the other hub tells this one of the rest of its mesh, and this hub links to each. Needs a token that may connect as a hub.',
  })
  @ApiCreatedResponse({ description: 'the new link', schema: LINK_SCHEMA })
  @ApiOkResponse({ description: 'the link existed', schema: LINK_SCHEMA })
  @ApiErrors({
    400: 'not a hub address',
    403: 'not allowed by HUB_INTERCONNECT_ALLOW, or by the token',
    409: 'the address is this hub',
  })
  async link(
    @Param('address') address: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LinkView> {
    const { created, link } = await this.interconnect.link(address);
    response.status(created ? 201 : 200);
    return link;
  }

  @Get()
  @ApiOperation({ summary: 'List links, both directions' })
  @ApiOkResponse({ description: 'the links', schema: { type: 'array', items: LINK_SCHEMA } })
  list(): LinkView[] {
    return this.interconnect.list();
  }

  @Delete(':address')
  @RequiresKind('hub')
  @HttpCode(204)
  @ApiParam(ADDRESS_PARAM)
  @ApiOperation({
    summary: 'Remove a link this hub dialed',
    description:
      'Here only: other hubs keep their links, and this hub does not learn the address or the hub again from the mesh for HUB_MESH_FORGET_MS.',
  })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiErrors({ 404: 'no link to that address' })
  unlink(@Param('address') address: string): void {
    this.interconnect.unlink(address);
  }
}
