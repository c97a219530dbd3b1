import { Inject, Injectable } from '@nestjs/common';
import { BoundedQueue } from '@ces/protocol';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConsumerGroup, REPEATER_GROUP } from '../routing/consumer-group';
import { RoutablePeer } from '../routing/routable-peer';
import { HubCounters } from '../status/hub-counters';

/** An event kept for a group: its room (to pick a member later) and its frame as received. */
export interface KeptEvent {
  room: string;
  frame: Buffer;
  keptAt: number;
}

/**
 * Events kept for durable groups (the repeaters are one) while no member can take them,
 * bounded per group by count (and, for durable messenger groups, by age): beyond the
 * bounds the oldest are dropped and counted.
 */
@Injectable()
export class GroupBacklogs {
  private readonly backlogs = new Map<string, BoundedQueue<KeptEvent>>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly counters: HubCounters,
  ) {}

  keep(group: ConsumerGroup<RoutablePeer>, room: string, frame: Buffer): void {
    let backlog = this.backlogs.get(group.name);
    if (!backlog) {
      const capacity =
        group.name === REPEATER_GROUP ? this.config.repeaterBacklog : this.config.durable.maxEvents;
      this.backlogs.set(group.name, (backlog = new BoundedQueue(capacity)));
    }
    if (backlog.push({ room, frame, keptAt: Date.now() })) this.counters.drop('backlog-full');
  }

  /** Hands over, oldest first, what was kept for a group and is not too old. */
  take(groupName: string): KeptEvent[] {
    const backlog = this.backlogs.get(groupName);
    if (!backlog) return [];
    this.backlogs.delete(groupName);
    const kept = backlog.drain();
    if (groupName === REPEATER_GROUP) return kept;
    const oldest = Date.now() - this.config.durable.maxAgeMs;
    const fresh = kept.filter((event) => event.keptAt >= oldest);
    if (fresh.length < kept.length)
      this.counters.drop('backlog-expired', kept.length - fresh.length);
    return fresh;
  }

  sizes(): Record<string, number> {
    return Object.fromEntries([...this.backlogs].map(([name, backlog]) => [name, backlog.size]));
  }
}
