import { ConsumerGroup, REPEATER_GROUP } from '../routing/consumer-group';
import { RoutablePeer } from '../routing/routable-peer';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { BacklogLimits, GroupBacklog, KeptEvent } from './group-backlog';

/** What durable delivery needs of a group member. */
export interface DurableMember extends RoutablePeer {
  /** Event frames written to the member so far: what its `{"ack": N}` counts. */
  readonly eventsOut: number;
  readonly isOpen: boolean;
}

/** Writes one event to one member of a group; true when it was written. */
export type MemberSender<P> = (group: string, member: P, frame: Buffer) => boolean;

export interface DurableLimits {
  group: BacklogLimits & { maxAgeMs: number };
  repeaters: BacklogLimits & { expectedMs: number };
  ackTimeoutMs: number;
  /** A durable group without members this long is forgotten. */
  groupTtlMs: number;
}

/** What durable delivery counts: dropped (by reason) and bookkeeping (by kind). */
export interface DurableCounters {
  drop(reason: string, count?: number): void;
  durable(what: string, count?: number): void;
}

interface Unacked {
  /** The member's event count once this event was written: acked when `ack >= sequence`. */
  sequence: number;
  group: string;
  heldRoom: string;
  room: string;
  frame: Buffer;
  deliveredAt: number;
}

/**
 * The one owner of what durable groups must not lose: events a group keeps while no member
 * can take them (repeaters' included, while one is expected), events delivered and not yet
 * acknowledged, and what happens to both — acknowledgement by count, redelivery when a
 * member leaves or does not acknowledge in time, handing the backlog to members as they
 * arrive or catch up. Only events actually written to a member are ever taken as delivered.
 */
export class DurableDelivery<P extends DurableMember> {
  private readonly backlogs = new Map<string, GroupBacklog>();
  private readonly unacked = new Map<P, Unacked[]>();
  private lastRepeaterSeenAt = 0;

  constructor(
    private readonly limits: DurableLimits,
    private readonly registry: SubscriptionRegistry<P>,
    private readonly counters: DurableCounters,
    private readonly send: MemberSender<P>,
  ) {}

  /**
   * The outcome of routing an event to a group's member (or to no member): a written event
   * of a durable group waits for its acknowledgement; one that could not be written is kept.
   */
  routed(
    group: ConsumerGroup<P>,
    member: P | undefined,
    heldRoom: string,
    room: string,
    frame: Buffer,
    written: boolean,
  ): void {
    if (written && member) {
      if (this.tracksAcks(group, member)) this.remember(group.name, member, heldRoom, room, frame);
    } else if (group.durable) {
      this.keep(group, heldRoom, room, frame);
    }
  }

  /** A member joined a group (or a repeater connected): hand it what the group kept. */
  memberJoined(group: ConsumerGroup<P>, member: P): void {
    if (group.name === REPEATER_GROUP) {
      this.lastRepeaterSeenAt = Date.now();
      group.durable = true;
    }
    if (member.isOpen) this.pump(group);
  }

  /** `{"ack": N}`: the member has processed the first N event frames it was sent. */
  acknowledge(member: P, count: number): void {
    const pending = this.unacked.get(member);
    if (!pending) return;
    let done = 0;
    while (done < pending.length && pending[done].sequence <= count) done++;
    if (done === 0) return;
    pending.splice(0, done);
    this.counters.durable('acknowledged', done);
    if (pending.length === 0) this.unacked.delete(member);
    for (const group of this.registry.groupsOfPeer(member)) this.pump(group);
  }

  /** A member left: what it had not acknowledged goes to another member, or is kept. */
  memberLeft(member: P): void {
    if (member.kind === 'repeater') this.lastRepeaterSeenAt = Date.now();
    const pending = this.unacked.get(member);
    if (!pending) return;
    this.unacked.delete(member);
    for (const event of pending) this.redeliver(event, member);
  }

  /**
   * Periodic work: redeliver what was not acknowledged in time, hand kept events to members
   * that can take them now, drop what is too old, forget groups memberless for too long.
   */
  sweep(now = Date.now()): void {
    this.redeliverOverdue(now - this.limits.ackTimeoutMs);
    const oldest = now - this.limits.group.maxAgeMs;
    for (const [name, backlog] of this.backlogs) {
      const group = this.registry.group(name);
      if (!group) {
        this.dropBacklog(name, 'group-gone');
        continue;
      }
      if (name !== REPEATER_GROUP) {
        const expired = backlog.expire(oldest);
        if (expired > 0) this.counters.drop('backlog-expired', expired);
      } else if (!this.repeatersExpected(now)) {
        this.dropBacklog(name, 'repeaters-gone');
        continue;
      }
      if (group.memberCount > 0) this.pump(group);
    }
    this.forgetIdleGroups(now);
    if (!this.repeatersExpected(now)) this.registry.repeaters.durable = false;
  }

  /** Events kept per group, and their bytes. */
  backlogSizes(): Map<string, { events: number; bytes: number }> {
    const sizes = new Map<string, { events: number; bytes: number }>();
    for (const [name, backlog] of this.backlogs)
      sizes.set(name, { events: backlog.size, bytes: backlog.bytes });
    return sizes;
  }

  unackedCount(member: P): number {
    return this.unacked.get(member)?.length ?? 0;
  }

  /** True when any member has events waiting for an acknowledgement or any group keeps events. */
  get busy(): boolean {
    return this.unacked.size > 0 || this.backlogs.size > 0;
  }

  private tracksAcks(group: ConsumerGroup<P>, member: P): boolean {
    // Repeaters never acknowledge; a linked hub's own hub tracks its members' acks.
    return group.durable && group.name !== REPEATER_GROUP && member.kind !== 'hub';
  }

  private remember(group: string, member: P, heldRoom: string, room: string, frame: Buffer): void {
    let pending = this.unacked.get(member);
    if (!pending) this.unacked.set(member, (pending = []));
    pending.push({
      sequence: member.eventsOut,
      group,
      heldRoom,
      room,
      frame,
      deliveredAt: Date.now(),
    });
  }

  private keep(group: ConsumerGroup<P>, heldRoom: string, room: string, frame: Buffer): void {
    const isRepeaters = group.name === REPEATER_GROUP;
    if (isRepeaters && !this.repeatersExpected(Date.now())) return;
    let backlog = this.backlogs.get(group.name);
    if (!backlog) {
      backlog = new GroupBacklog(isRepeaters ? this.limits.repeaters : this.limits.group);
      this.backlogs.set(group.name, backlog);
    }
    const dropped = backlog.push({ heldRoom, room, frame, keptAt: Date.now() });
    if (dropped > 0) this.counters.drop('backlog-full', dropped);
  }

  /** Repeaters' events are kept once one has connected, until none has been seen for a while. */
  private repeatersExpected(now: number): boolean {
    if (this.registry.repeaters.memberCount > 0) return true;
    if (this.lastRepeaterSeenAt === 0) return false;
    return now - this.lastRepeaterSeenAt < this.limits.repeaters.expectedMs;
  }

  private pump(group: ConsumerGroup<P>): void {
    const backlog = this.backlogs.get(group.name);
    if (!backlog) return;
    backlog.drain((event) => this.offer(group, event));
    if (backlog.size === 0) this.backlogs.delete(group.name);
  }

  private offer(group: ConsumerGroup<P>, event: KeptEvent): 'taken' | 'kept' | 'stop' {
    const member = group.pick(event.heldRoom, undefined, false, event.room);
    if (!member) return group.anyMemberCanTake() ? 'kept' : 'stop';
    if (!this.send(group.name, member, event.frame)) return 'stop';
    if (this.tracksAcks(group, member))
      this.remember(group.name, member, event.heldRoom, event.room, event.frame);
    return 'taken';
  }

  private redeliver(event: Unacked, previous: P): void {
    const group = this.registry.group(event.group);
    if (!group) return void this.counters.drop('group-gone');
    this.counters.durable('redelivered');
    const member = group.pick(event.heldRoom, previous, false, event.room);
    const written = member !== undefined && this.send(group.name, member, event.frame);
    this.routed(group, member, event.heldRoom, event.room, event.frame, written);
  }

  private redeliverOverdue(overdue: number): void {
    for (const [member, pending] of [...this.unacked]) {
      let count = 0;
      while (count < pending.length && pending[count].deliveredAt < overdue) count++;
      if (count === 0) continue;
      const late = pending.splice(0, count);
      if (pending.length === 0) this.unacked.delete(member);
      for (const event of late) this.redeliver(event, member);
    }
  }

  private forgetIdleGroups(now: number): void {
    const idleSince = now - this.limits.groupTtlMs;
    for (const group of [...this.registry.groups]) {
      if (group.name === REPEATER_GROUP || !group.durable || group.memberCount > 0) continue;
      if (group.memberlessSince === 0 || group.memberlessSince > idleSince) continue;
      this.dropBacklog(group.name, 'group-expired');
      this.registry.forgetGroup(group);
      this.counters.durable('groups-expired');
    }
  }

  private dropBacklog(name: string, reason: string): void {
    const backlog = this.backlogs.get(name);
    if (!backlog) return;
    this.backlogs.delete(name);
    if (backlog.size > 0) this.counters.drop(reason, backlog.size);
  }
}
