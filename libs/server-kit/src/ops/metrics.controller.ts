import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { MetricsRegistry } from './metrics-registry';

/**
 * `GET /metrics` (the path is set by PrometheusModule.register): this app's registry, not
 * prom-client's global one. App-agnostic: the repeater registers it too.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller()
export class MetricsController extends PrometheusController {
  constructor(private readonly metrics: MetricsRegistry) {
    super();
  }

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Prometheus text exposition format: the app’s series (prefixed `ces_`) and the process’s (`process_`, `nodejs_`).',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'the metrics', schema: { type: 'string' } })
  override async index(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.header('Content-Type', this.metrics.contentType);
    return this.metrics.metrics();
  }
}
