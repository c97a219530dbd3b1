import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeerConnection } from '../connections/peer-connection';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { RoomRateTable } from './room-rate-table';

/** Rooms tracked at most; with 256-byte rooms, well under 1 MiB. */
export const ROOM_RATE_CAPACITY = 2048;
/** Rooms the dashboard's "Top rooms" card shows. */
export const TOP_ROOMS = 10;
const SAMPLE_EVERY_MS = 1000;

/**
 * Events per room, published into whether or not anyone subscribes: the forwarder counts
 * each event (one map lookup), and the rates are taken once a second.
 */
@Injectable()
export class RoomRates implements OnModuleInit, OnModuleDestroy {
  private readonly table = new RoomRateTable(ROOM_RATE_CAPACITY);
  private timer?: NodeJS.Timeout;
  private sampledAt = Date.now();

  constructor(private readonly registry: SubscriptionRegistry<PeerConnection>) {}

  count(room: string): void {
    this.table.count(room);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The busiest rooms of the last second, with how many subscribe to each. */
  top() {
    const { rooms, untrackedPerSecond, tracked } = this.table.top(TOP_ROOMS);
    return {
      rooms: rooms.map(({ room, perSecond }) => ({
        room,
        perSecond,
        subscribers: this.registry.subscribersOf(room).size,
        groups: this.registry.groupsOf(room).size,
      })),
      untrackedPerSecond,
      tracked,
      capacity: ROOM_RATE_CAPACITY,
    };
  }

  private sample(): void {
    const now = Date.now();
    this.table.sample((now - this.sampledAt) / 1000);
    this.sampledAt = now;
  }
}
