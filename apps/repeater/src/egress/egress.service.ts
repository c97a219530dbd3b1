import { Injectable, OnModuleInit } from '@nestjs/common';
import { OutsideConnectionsService } from '../outside/outside-connections.service';
import { RepeaterCounters } from '../status/repeater-counters';
import { HubUplinkService } from '../uplink/hub-uplink.service';
import { TargetsService } from './targets.service';

/** Sends each event from the hub to the outside sockets and send-map targets of its room. */
@Injectable()
export class EgressService implements OnModuleInit {
  constructor(
    private readonly uplink: HubUplinkService,
    private readonly outside: OutsideConnectionsService,
    private readonly targets: TargetsService,
    private readonly counters: RepeaterCounters,
  ) {}

  onModuleInit(): void {
    this.uplink.onEvent((room, event) => {
      this.counters.count('egress');
      this.outside.deliver(room, event);
      this.targets.deliver(room, event);
    });
  }
}
