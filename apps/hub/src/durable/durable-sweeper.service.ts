import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { DurableDelivery } from './durable-delivery';

/** Runs durable delivery's periodic work: redelivery after the ack timeout, expiry, catch-up. */
@Injectable()
export class DurableSweeper implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly durable: DurableDelivery<PeerConnection>,
  ) {}

  onModuleInit(): void {
    const every = Math.max(50, Math.min(1000, this.config.durable.ackTimeoutMs / 4));
    this.timer = setInterval(() => this.durable.sweep(), every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
