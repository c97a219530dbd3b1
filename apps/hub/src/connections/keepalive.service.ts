import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CloseCodes } from '@ces/protocol';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { HubCounters } from '../status/hub-counters';
import { ConnectionsService } from './connections.service';

/** Peers may stay silent this many ping intervals before they are taken for gone. */
const MISSED_PINGS_ALLOWED = 2;
/**
 * The ping interval is cut in this many slices, and each slice pings the peers of one slot:
 * 10,000 pings written in one turn would hold up every event behind them for milliseconds.
 */
export const KEEPALIVE_SLICES = 10;

/**
 * Finds peers that are gone or do not read. Every ping interval each peer is pinged (in its
 * slice of the interval), and one that has not answered (or sent anything) for two intervals
 * is cut off. More often,
 * each peer's send queue is checked: one that has stayed over its budget for
 * HUB_SLOW_CONSUMER_MS does not read what it is sent, whatever it sends itself, and is
 * closed with 4008.
 */
@Injectable()
export class KeepaliveService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KeepaliveService.name);
  private pingTimer?: NodeJS.Timeout;
  private budgetTimer?: NodeJS.Timeout;
  private slice = 0;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly connections: ConnectionsService,
    private readonly counters: HubCounters,
  ) {}

  onModuleInit(): void {
    const slicedInterval = this.config.pingIntervalMs / KEEPALIVE_SLICES;
    this.pingTimer = setInterval(() => this.pingSlice(), slicedInterval);
    this.pingTimer.unref();
    const every = Math.max(50, Math.min(1000, this.config.slowConsumerMs / 4));
    this.budgetTimer = setInterval(() => this.checkBudgets(), every);
    this.budgetTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pingTimer);
    clearInterval(this.budgetTimer);
  }

  /** Pings the peers of the next slot: each peer once per interval, a tenth of them at a time. */
  private pingSlice(): void {
    const slot = this.slice;
    this.slice = (this.slice + 1) % KEEPALIVE_SLICES;
    for (const peer of this.connections.all) {
      if (peer.serial % KEEPALIVE_SLICES !== slot) continue;
      if (peer.missedPings >= MISSED_PINGS_ALLOWED) {
        this.counters.drop('keepalive-timeout');
        this.logger.warn(`${peer.id} did not answer ${peer.missedPings} pings; dropping it`);
        peer.socket.terminate();
        continue;
      }
      peer.missedPings++;
      peer.socket.ping();
    }
  }

  private checkBudgets(): void {
    const now = Date.now();
    for (const peer of this.connections.all) {
      if (!peer.isOpen || peer.socket.overBudgetFor(now) < this.config.slowConsumerMs) continue;
      this.counters.reject('slow-consumer-closed');
      this.logger.warn(`${peer.id} does not read what it is sent; closing it (4008)`);
      peer.socket.close(CloseCodes.slowConsumer, 'slow consumer');
    }
  }
}
