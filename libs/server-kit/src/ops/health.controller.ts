import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { Public } from '../http/route-access';

/** Injection token of the app's readiness checks ({@link AppHealthCheck}[]). */
export const HEALTH_CHECKS = Symbol('ces:health-checks');

/** One readiness indicator of an app, e.g. the hub's router or the repeater's uplink. */
export type AppHealthCheck = (
  indicators: HealthIndicatorService,
) => HealthIndicatorResult | Promise<HealthIndicatorResult>;

/**
 * Health probes (terminus), without a token. `/health/live` says only that the process
 * serves requests: it never depends on another service, so a liveness probe does not
 * restart a repeater while its hub is down. `/health/ready` runs the app's readiness checks
 * (the repeater's uplink, the hub's router); `/health` is the same as ready, as before.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_CHECKS) private readonly checks: AppHealthCheck[],
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness: the process serves requests',
    description: 'Needs no token.',
  })
  live() {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid })]);
  }

  @Get(['', 'ready'])
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the app can do its work', description: 'Needs no token.' })
  ready() {
    return this.health.check(this.checks.map((check) => () => check(this.indicators)));
  }
}
