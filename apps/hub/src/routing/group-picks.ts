import type { ConsumerGroup } from './consumer-group';
import type { RoutablePeer } from './routable-peer';

/** One consumer group's share of an event. */
export interface GroupDelivery<P extends RoutablePeer> {
  group: ConsumerGroup<P>;
  /** The group's room that matched: the event's room, or `*`. */
  heldRoom: string;
  /** The member picked (a local peer, or a linked hub with members); undefined: none could take it. */
  member: P | undefined;
}

/**
 * What each consumer group picked for one event, in a list the router refills for every
 * event: its slots are kept and written over, so an event a group takes (every messenger
 * event where a repeater is connected) allocates neither an entry nor the list. Read it
 * before the next event is routed.
 */
export class GroupPicks<P extends RoutablePeer> {
  private readonly slots: GroupDelivery<P>[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  at(index: number): GroupDelivery<P> {
    return this.slots[index];
  }

  add(group: ConsumerGroup<P>, heldRoom: string, member: P | undefined): void {
    const slot = this.slots[this.count];
    if (slot === undefined) this.slots.push({ group, heldRoom, member });
    else {
      slot.group = group;
      slot.heldRoom = heldRoom;
      slot.member = member;
    }
    this.count++;
  }

  /** True when one of the groups picked `peer`. */
  picked(peer: P): boolean {
    for (let i = 0; i < this.count; i++) if (this.slots[i].member === peer) return true;
    return false;
  }

  /** Empties the list; members are let go so a peer that left is not held here. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.slots[i].member = undefined;
    this.count = 0;
  }

  /** Copies of the entries, for what keeps them past the next event (audit, tests). */
  toArray(): GroupDelivery<P>[] {
    return this.slots.slice(0, this.count).map((slot) => ({ ...slot }));
  }
}
