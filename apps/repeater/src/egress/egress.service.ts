import { Injectable, OnModuleInit } from '@nestjs/common';
import { encodeFrame } from '@ces/protocol';
import { OutsideConnectionsService } from '../outside/outside-connections.service';
import { RepeaterCounters } from '../status/repeater-counters';
import { HubUplinkService } from '../uplink/hub-uplink.service';
import { TargetsService } from './targets.service';

/**
 * Egress: each event the hub gives this repeater goes to the outside sockets of its room and
 * of `*` whose token grants that room — framed once, dropped (and counted) for a socket over its
 * byte budget — and to the send-map targets of the room.
 */
@Injectable()
export class EgressService implements OnModuleInit {
  constructor(
    private readonly uplink: HubUplinkService,
    private readonly outside: OutsideConnectionsService,
    private readonly targets: TargetsService,
    private readonly counters: RepeaterCounters,
  ) {}

  onModuleInit(): void {
    this.uplink.onEvent((room, event) => this.deliver(room, event));
  }

  deliver(room: string, event: Buffer): void {
    this.counters.count('egress');
    this.deliverToSockets(room, event);
    this.targets.deliver(room, event);
  }

  private deliverToSockets(room: string, event: Buffer): void {
    if (!this.outside.hasListeners(room)) return;
    let frame: Buffer | undefined;
    for (const connection of this.outside.listenersOf(room)) {
      const { maySubscribe } = connection.grants;
      if (maySubscribe && !maySubscribe(room)) continue;
      frame ??= encodeFrame(room, event);
      if (connection.sendEvent(frame)) this.counters.bytesOut.websocket += frame.length;
      else this.counters.drop('slow-consumer');
    }
  }
}
