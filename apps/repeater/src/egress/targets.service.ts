import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { WILDCARD_ROOM } from '@ces/protocol';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { HttpTarget } from './http-target';
import { loadSendMap, SendMap } from './send-map';
import { Target, TargetStats } from './target-stats';
import { WsTarget } from './ws-target';

/** The send map's targets: each room's events go to the targets listed for it and for `*`. */
@Injectable()
export class TargetsService implements OnApplicationShutdown {
  private readonly logger = new Logger(TargetsService.name);
  private readonly sendMap: SendMap;
  private readonly targets = new Map<string, Target>();

  constructor(@Inject(REPEATER_CONFIG) private readonly config: RepeaterConfig) {
    this.sendMap = loadSendMap(config.sendMapPath, config.sendMapInline);
    for (const address of new Set([...this.sendMap.values()].flat())) {
      this.targets.set(address, this.createTarget(address));
    }
    if (this.targets.size > 0)
      this.logger.log(
        `send map: ${this.targets.size} target(s) for ${this.sendMap.size} room key(s)`,
      );
  }

  deliver(room: string, event: Buffer): void {
    const forRoom = this.sendMap.get(room) ?? [];
    const forAll = room === WILDCARD_ROOM ? [] : (this.sendMap.get(WILDCARD_ROOM) ?? []);
    for (const address of forRoom) this.targets.get(address)!.deliver(room, event);
    for (const address of forAll) {
      if (!forRoom.includes(address)) this.targets.get(address)!.deliver(room, event);
    }
  }

  stats(): TargetStats[] {
    return [...this.targets.values()].map((target) => target.stats());
  }

  onApplicationShutdown(): void {
    for (const target of this.targets.values()) target.close();
  }

  private createTarget(address: string): Target {
    const { http, targetQueue, repeaterId, idleTimeoutMs, frameLimits, delivery } = this.config;
    return address.startsWith('http')
      ? new HttpTarget(address, { ...http, queue: targetQueue })
      : new WsTarget(address, {
          repeaterId,
          idleTimeoutMs,
          queue: targetQueue,
          maxPayload: frameLimits.maxFrameBytes,
          highWaterBytes: delivery.highWaterBytes,
          slowConsumerMs: delivery.slowConsumerMs,
        });
  }
}
