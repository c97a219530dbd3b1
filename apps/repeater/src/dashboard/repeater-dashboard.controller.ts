import { Public } from '../auth/http-auth.guard';
import {
  Controller,
  Get,
  OnModuleDestroy,
  OnModuleInit,
  Res,
  Sse,
  type MessageEvent,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { DASHBOARD_HEADERS } from '@ces/server-kit';
import { DASHBOARD_STYLE } from '@ces/server-kit';
import { LiveDocument } from '@ces/server-kit';
import { StatusController } from '../status/status.controller';
import { REPEATER_DASHBOARD_HTML, REPEATER_DASHBOARD_SCRIPT } from './repeater-dashboard-page';

/** The repeater's dashboard: `GET /` and its script and stylesheet. */
@ApiTags('dashboard')
@Public()
@Controller()
export class RepeaterDashboardController {
  @Get()
  @ApiOperation({
    summary: 'Operator dashboard',
    description: 'A live page: the uplink, outside connections, send-map targets, event rates.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'the page' })
  page(@Res({ passthrough: true }) response: Response): string {
    response.set({ ...DASHBOARD_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    return REPEATER_DASHBOARD_HTML;
  }

  @Get('dashboard/app.js')
  @ApiExcludeEndpoint()
  script(@Res({ passthrough: true }) response: Response): string {
    response.set({ ...DASHBOARD_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' });
    return REPEATER_DASHBOARD_SCRIPT;
  }

  @Get('dashboard/app.css')
  @ApiExcludeEndpoint()
  style(@Res({ passthrough: true }) response: Response): string {
    response.set({ ...DASHBOARD_HEADERS, 'Content-Type': 'text/css; charset=utf-8' });
    return DASHBOARD_STYLE;
  }
}

/** `GET /dashboard/stream`: the repeater's /status document once a second (server-sent events). */
@ApiTags('dashboard')
@Controller('dashboard')
export class RepeaterDashboardStreamController implements OnModuleInit, OnModuleDestroy {
  private live?: LiveDocument;

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    // The /status document is built by its controller: reuse it rather than rebuild it here.
    const status = this.moduleRef.get(StatusController, { strict: false });
    this.live = new LiveDocument(() => status.status());
  }

  @Sse('stream')
  @ApiOperation({
    summary: 'Live status',
    description:
      'Server-sent events: the `GET /status` document once a second, each with the time it was taken (ms since the epoch) as its id.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'an endless stream of status documents' })
  stream(): Observable<MessageEvent> {
    return this.live!.events();
  }

  onModuleDestroy(): void {
    this.live?.stop();
  }
}
