import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { REPEATER_STATUS_SCHEMA } from '../dashboard/api-schemas';
import { TargetsService } from '../egress/targets.service';
import { OutsideConnectionsService } from '../outside/outside-connections.service';
import { HubUplinkService } from '../uplink/hub-uplink.service';
import { RepeaterCounters } from './repeater-counters';

/** `GET /status`: the uplink, the outside connections, the targets and the counters. */
@ApiTags('status')
@Controller('status')
export class StatusController {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(REPEATER_CONFIG) private readonly config: RepeaterConfig,
    private readonly uplink: HubUplinkService,
    private readonly outside: OutsideConnectionsService,
    private readonly targets: TargetsService,
    private readonly counters: RepeaterCounters,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The repeater’s state' })
  @ApiOkResponse({ description: 'the status document', schema: REPEATER_STATUS_SCHEMA })
  status() {
    return {
      repeaterId: this.config.repeaterId,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      uplink: {
        hubUrl: this.config.hubUrl,
        state: this.uplink.client.state,
        ...this.uplink.client.stats(),
      },
      connections: this.outside.list(),
      targets: this.targets.stats(),
      totals: { events: { ...this.counters.events }, rejected: { ...this.counters.rejected } },
    };
  }
}
