import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/http-auth.guard';
import { HubUplinkService } from '../uplink/hub-uplink.service';

/** Liveness and readiness, including whether the uplink to the hub is open. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly uplink: HubUplinkService,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness, including the uplink to the hub' })
  check() {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('hub');
        const state = this.uplink.client.state;
        return state === 'open' ? indicator.up({ state }) : indicator.down({ state });
      },
    ]);
  }
}
