import { Inject, Injectable } from '@nestjs/common';
import { Uptime } from '@ces/server-kit';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { TargetsService } from '../egress/targets.service';
import { OutsideConnectionsService } from '../outside/outside-connections.service';
import { HubUplinkService } from '../uplink/hub-uplink.service';
import { RepeaterCounters } from './repeater-counters';

/** Assembles the repeater's /status document from the services that own each part. */
@Injectable()
export class StatusService {
  constructor(
    @Inject(REPEATER_CONFIG) private readonly config: RepeaterConfig,
    private readonly uplink: HubUplinkService,
    private readonly outside: OutsideConnectionsService,
    private readonly targets: TargetsService,
    private readonly counters: RepeaterCounters,
  ) {}

  private readonly uptime = new Uptime();

  status() {
    return {
      repeaterId: this.config.repeaterId,
      ...this.uptime.fields(),
      uplink: {
        hubUrl: this.config.hubUrl,
        state: this.uplink.client.state,
        ...this.uplink.client.stats(),
      },
      connections: this.outside.list(),
      targets: this.targets.stats(),
      totals: {
        events: this.counters.totals('events'),
        // Everything refused, frames and requests alike, as /status has always shown it.
        rejected: sumTallies(this.counters.totals('rejected'), this.counters.totals('refused')),
        refused: this.counters.totals('refused'),
        dropped: this.counters.totals('dropped'),
        disconnected: this.counters.totals('disconnected'),
      },
    };
  }
}

function sumTallies(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const sum = new Map(Object.entries(a));
  for (const [key, count] of Object.entries(b)) sum.set(key, (sum.get(key) ?? 0) + count);
  return Object.fromEntries(sum);
}
