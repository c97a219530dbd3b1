import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';
import { ConnectionsService } from '../connections/connections.service';

/** Liveness and readiness: the hub is up when it is listening and routing. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly connections: ConnectionsService,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness', description: 'Needs no token.' })
  check() {
    return this.health.check([
      () => this.indicators.check('router').up({ peers: [...this.connections.all].length }),
    ]);
  }
}
