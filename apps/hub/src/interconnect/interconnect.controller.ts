import { Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RequiresKind } from '../auth/public.decorator';
import { InterconnectService, LinkView } from './interconnect.service';

/**
 * Links between hubs. `:address` is `host`, `host:port` (default port 7100) or a
 * URL-encoded ws:// or wss:// URL.
 */
@Controller('interconnect')
export class InterconnectController {
  constructor(private readonly interconnect: InterconnectService) {}

  @Post(':address')
  @RequiresKind('hub')
  async link(
    @Param('address') address: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LinkView> {
    const { created, link } = await this.interconnect.link(address);
    response.status(created ? 201 : 200);
    return link;
  }

  @Get()
  list(): LinkView[] {
    return this.interconnect.list();
  }

  @Delete(':address')
  @RequiresKind('hub')
  @HttpCode(204)
  unlink(@Param('address') address: string): void {
    this.interconnect.unlink(address);
  }
}
