import { Inject, Injectable } from '@nestjs/common';
import { BoundedQueue } from '@ces/protocol';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConsumerGroup } from '../routing/consumer-group';
import { RoutablePeer } from '../routing/routable-peer';
import { HubCounters } from '../status/hub-counters';

/**
 * Events kept for durable groups (the repeaters are one) while no member can take them,
 * bounded per group: beyond the bound the oldest are dropped and counted.
 */
@Injectable()
export class GroupBacklogs {
  private readonly backlogs = new Map<string, BoundedQueue<Buffer>>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly counters: HubCounters,
  ) {}

  keep(group: ConsumerGroup<RoutablePeer>, frame: Buffer): void {
    let backlog = this.backlogs.get(group.name);
    if (!backlog)
      this.backlogs.set(group.name, (backlog = new BoundedQueue(this.config.repeaterBacklog)));
    if (backlog.push(frame)) this.counters.drop('backlog-full');
  }

  /** Hands over, oldest first, what was kept for a group. */
  take(groupName: string): Buffer[] {
    const backlog = this.backlogs.get(groupName);
    if (!backlog) return [];
    this.backlogs.delete(groupName);
    return backlog.drain();
  }

  sizes(): Record<string, number> {
    return Object.fromEntries([...this.backlogs].map(([name, backlog]) => [name, backlog.size]));
  }
}
