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

/** `GET /health`: liveness and the app's readiness checks (terminus). Probes carry no token. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_CHECKS) private readonly checks: AppHealthCheck[],
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness', description: 'Needs no token.' })
  check() {
    return this.health.check(this.checks.map((check) => () => check(this.indicators)));
  }
}
