import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { HubUplinkService } from '../uplink/hub-uplink.service';

/** Liveness and readiness, including whether the uplink to the hub is open. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly uplink: HubUplinkService,
  ) {}

  @Get()
  @HealthCheck()
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
