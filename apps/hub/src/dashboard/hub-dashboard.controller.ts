import { Controller, Get, OnModuleDestroy, Res, Sse } from '@nestjs/common';
import type { MessageEvent } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { Public } from '../auth/public.decorator';
import { StatusService } from '../status/status.service';
import { HUB_DASHBOARD_HTML, HUB_DASHBOARD_SCRIPT } from './hub-dashboard-page';
import { DASHBOARD_HEADERS } from '@ces/server-kit';
import { DASHBOARD_STYLE } from '@ces/server-kit';
import { LiveDocument } from '@ces/server-kit';

/**
 * The operator dashboard: `GET /` and its script and stylesheet. They hold no data, so they
 * are public; the data comes from `dashboard/stream` and the REST API, which the page
 * calls with the `?token=` of its own URL when the hub requires one.
 */
@ApiTags('dashboard')
@Public()
@Controller()
export class HubDashboardController {
  @Get()
  @ApiOperation({
    summary: 'Operator dashboard',
    description:
      'A live page: peers, rooms, links, event rates. When the hub requires a token, open it as `/?token=…`.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'the page' })
  page(@Res({ passthrough: true }) response: Response): string {
    response.set({ ...DASHBOARD_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    return HUB_DASHBOARD_HTML;
  }

  @Get('dashboard/app.js')
  @ApiExcludeEndpoint()
  script(@Res({ passthrough: true }) response: Response): string {
    response.set({ ...DASHBOARD_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' });
    return HUB_DASHBOARD_SCRIPT;
  }

  @Get('dashboard/app.css')
  @ApiExcludeEndpoint()
  style(@Res({ passthrough: true }) response: Response): string {
    response.set({ ...DASHBOARD_HEADERS, 'Content-Type': 'text/css; charset=utf-8' });
    return DASHBOARD_STYLE;
  }
}

/** `GET /dashboard/stream`: the /status document once a second, as server-sent events. */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class HubDashboardStreamController implements OnModuleDestroy {
  private readonly live: LiveDocument;

  constructor(status: StatusService) {
    this.live = new LiveDocument(() => status.status());
  }

  @Sse('stream')
  @ApiOperation({
    summary: 'Live status',
    description:
      'Server-sent events: the `GET /status` document once a second, each with the time it was taken (ms since the epoch) as its id. An EventSource cannot send headers: pass the token as `?token=`.',
  })
  @ApiQuery({
    name: 'token',
    required: false,
    description: 'bearer token, when the hub requires one',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'an endless stream of status documents' })
  @ApiUnauthorizedResponse({ description: 'the hub requires a token' })
  stream(): Observable<MessageEvent> {
    return this.live.events();
  }

  onModuleDestroy(): void {
    this.live.stop();
  }
}
