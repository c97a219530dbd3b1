import { Controller, Get, Inject, OnModuleDestroy, Res, Sse } from '@nestjs/common';
import type { MessageEvent } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExcludeEndpoint,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { Public } from '../http/route-access';
import { DASHBOARD_HEADERS } from './dashboard-client';
import { DASHBOARD_STYLE } from './dashboard-style';
import { LiveDocument } from './live-document';
import { RATE_HISTORY, RateHistory, RateSample } from './rate-history';

/** Injection token of the app's {@link Dashboard}. */
export const DASHBOARD = Symbol('ces:dashboard');

/** What an app's dashboard is made of: its page, its script, and the document it shows live. */
export interface Dashboard {
  html: string;
  script: string;
  /** The app's /status document; called once a second while someone watches. */
  status(): object;
  /** The running totals of the chart's series (events in, out…), read every 5 s for its history. */
  totals(): Readonly<Record<string, number>>;
}

/** `GET /dashboard/history`: the chart's rates over the last 15 minutes. */
export interface DashboardHistory {
  everyMs: number;
  windowSeconds: number;
  samples: RateSample[];
}

/**
 * The operator dashboard's shell: `GET /` and its script and stylesheet. They hold no data,
 * so they are public; the data comes from `dashboard/stream` and the REST API, which the
 * page calls with the `?token=` of its own URL when the app requires one.
 */
@ApiTags('dashboard')
@Public()
@Controller()
export class DashboardController {
  constructor(@Inject(DASHBOARD) private readonly dashboard: Dashboard) {}

  @Get()
  @ApiOperation({
    summary: 'Operator dashboard',
    description:
      'A live page of the app’s state and event rates. When the app requires a token, open it as `/?token=…`.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'the page' })
  page(@Res({ passthrough: true }) response: Response): string {
    return serve(response, 'text/html', this.dashboard.html);
  }

  @Get('dashboard/app.js')
  @ApiExcludeEndpoint()
  script(@Res({ passthrough: true }) response: Response): string {
    return serve(response, 'text/javascript', this.dashboard.script);
  }

  @Get('dashboard/app.css')
  @ApiExcludeEndpoint()
  style(@Res({ passthrough: true }) response: Response): string {
    return serve(response, 'text/css', DASHBOARD_STYLE);
  }
}

function serve(response: Response, type: string, body: string): string {
  response.set({ ...DASHBOARD_HEADERS, 'Content-Type': `${type}; charset=utf-8` });
  return body;
}

/** `GET /dashboard/stream`: the app's /status document once a second, as server-sent events. */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardStreamController implements OnModuleDestroy {
  private readonly live: LiveDocument;
  private readonly history = new RateHistory(RATE_HISTORY.samples);
  private readonly recorder: NodeJS.Timeout;

  constructor(@Inject(DASHBOARD) private readonly dashboard: Dashboard) {
    this.live = new LiveDocument(() => dashboard.status());
    // Kept whether anyone watches or not, so a page opened (or reloaded) shows the last minutes.
    this.record();
    this.recorder = setInterval(() => this.record(), RATE_HISTORY.everyMs);
    this.recorder.unref();
  }

  @Sse('stream')
  @ApiOperation({
    summary: 'Live status',
    description:
      'Server-sent events: the dashboard’s document (the `GET /status` document; on the hub, peer counts instead of every peer, and the top rooms) once a second, each with the time it was taken (ms since the epoch) as its id. An EventSource cannot send headers: pass the token as `?token=`.',
  })
  @ApiQuery({
    name: 'token',
    required: false,
    description: 'an operator token, when the app requires one',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'an endless stream of status documents' })
  @ApiUnauthorizedResponse({ description: 'the app requires a token' })
  @ApiForbiddenResponse({ description: 'the token is not an operator’s' })
  stream(): Observable<MessageEvent> {
    return this.live.events();
  }

  @Get('history')
  @ApiOperation({
    summary: 'The chart’s history',
    description: `The event rates of the dashboard’s chart, one sample every ${RATE_HISTORY.everyMs / 1000} s for the last ${(RATE_HISTORY.samples * RATE_HISTORY.everyMs) / 60_000} minutes, oldest first; kept by the app in fixed memory, whether anyone watches or not.`,
  })
  @ApiOkResponse({
    description: 'the samples',
    schema: {
      type: 'object',
      properties: {
        everyMs: { type: 'integer', example: RATE_HISTORY.everyMs },
        windowSeconds: { type: 'integer', example: 900 },
        samples: {
          type: 'array',
          items: {
            type: 'object',
            description: '`t` (ms since the epoch) and each series’ events per second',
            additionalProperties: { type: 'number' },
          },
        },
      },
    },
  })
  @ApiUnauthorizedResponse({ description: 'the app requires a token' })
  @ApiForbiddenResponse({ description: 'the token is not an operator’s' })
  rateHistory(): DashboardHistory {
    return {
      everyMs: RATE_HISTORY.everyMs,
      windowSeconds: (RATE_HISTORY.samples * RATE_HISTORY.everyMs) / 1000,
      samples: this.history.samples(),
    };
  }

  onModuleDestroy(): void {
    clearInterval(this.recorder);
    this.live.stop();
  }

  private record(): void {
    try {
      this.history.record(Date.now(), this.dashboard.totals());
    } catch {
      // a reading that failed is skipped; the next one tries again
    }
  }
}
