import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConnectionsService } from './connections.service';

/** Peers may stay silent this many ping intervals before they are taken for gone. */
const MISSED_PINGS_ALLOWED = 2;

/**
 * Pings every peer each interval and drops one that has not answered (or sent anything)
 * for two intervals: this is what finds peers that vanished without closing.
 */
@Injectable()
export class KeepaliveService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KeepaliveService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly connections: ConnectionsService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.tick(), this.config.pingIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    for (const peer of this.connections.all) {
      if (peer.missedPings >= MISSED_PINGS_ALLOWED) {
        this.logger.warn(`${peer.id} did not answer ${peer.missedPings} pings; dropping it`);
        peer.socket.terminate();
        continue;
      }
      peer.missedPings++;
      peer.socket.ping();
    }
  }
}
