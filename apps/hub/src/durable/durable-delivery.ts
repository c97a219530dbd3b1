import { ConsumerGroup, REPEATER_GROUP } from '../routing/consumer-group';
import { RoutablePeer } from '../routing/routable-peer';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { DurableStore } from '../store/durable-store';
import { MemoryDurableStore } from '../store/memory-durable-store';
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
  keptAt: number;
  deliveredAt: number;
  storeId: number;
}

/** Told of what members of durable groups do, for what keeps their events elsewhere. */
export interface DurableMemberWatcher<P> {
  acknowledged(member: P, count: number): void;
  left(member: P): void;
}

/** An event on its way to a group: new (storeId 0, not stored yet) or kept already. */
interface GroupEvent {
  heldRoom: string;
  room: string;
  frame: Buffer;
  keptAt: number;
  storeId: number;
}

/**
 * Stands in for a member while a stored group is restored: the registry makes groups only
 * by subscription, and a durable group keeps its rooms once its last member has left.
 */
const RESTORING: RoutablePeer = {
  id: '#restoring',
  kind: 'messenger',
  canTake: false,
  mayGet: () => false,
};

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
  /** The rooms last stored per durable group, so a subscription that adds none writes nothing. */
  private readonly storedRooms = new Map<string, string>();
  private readonly watchers: DurableMemberWatcher<P>[] = [];

  constructor(
    private readonly limits: DurableLimits,
    private readonly registry: SubscriptionRegistry<P>,
    private readonly counters: DurableCounters,
    private readonly send: MemberSender<P>,
    /** What must survive the hub: every event kept or awaiting its ack, and durable groups. */
    private readonly store: DurableStore = new MemoryDurableStore(),
  ) {}

  /**
   * At startup: durable groups the store holds exist again, memberless, with their rooms,
   * and what they had not seen acknowledged waits in their backlogs, oldest first, within
   * today's bounds.
   */
  restore(): { groups: number; events: number } {
    const { groups, events } = this.store.load();
    for (const { name, rooms } of groups) this.restoreGroup(name, rooms);
    let restored = 0;
    for (const event of events) {
      const group = this.registry.group(event.group);
      if (!group?.durable) {
        this.store.remove(event.id);
        this.counters.drop('group-gone');
        continue;
      }
      this.keep(group, { ...event, storeId: event.id });
      restored++;
    }
    if (restored > 0) this.counters.durable('restored', restored);
    return { groups: groups.length, events: restored };
  }

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
    if (!group.durable) return;
    this.place(group, member, { heldRoom, room, frame, keptAt: Date.now(), storeId: 0 }, written);
  }

  /**
   * A durable group that must keep events before any member has asked for it (a registered
   * service's queue): it exists, durable, holding `rooms`, and is stored.
   */
  ensureGroup(name: string, rooms: string[]): void {
    const group = this.registry.group(name);
    const missing = rooms.filter((room) => !group?.durable || !group.hasRoom(room));
    if (missing.length === 0) return;
    this.storeGroup(this.holdRooms(name, missing));
  }

  /**
   * A durable group stops holding rooms no member holds any more (a registered service's
   * queue lost them): new events of those rooms are not kept. What it kept of them stays,
   * within the age bound, for when a member holds them again.
   */
  releaseRooms(name: string, rooms: string[]): void {
    const group = this.registry.group(name);
    if (!group?.durable) return;
    this.registry.releaseRooms(group, rooms);
    if (group.localDurable) this.storeGroup(group);
  }

  /** A member joined a group (or a repeater connected): hand it what the group kept. */
  memberJoined(group: ConsumerGroup<P>, member: P): void {
    if (group.name === REPEATER_GROUP) {
      this.lastRepeaterSeenAt = Date.now();
      group.durable = true;
    } else if (group.durable && member.kind !== 'hub') this.storeGroup(group);
    if (member.isOpen) this.pump(group);
  }

  /** Cluster mode keeps durable groups' events in JetStream: it hears members' acks here. */
  watchMembers(watcher: DurableMemberWatcher<P>): void {
    this.watchers.push(watcher);
  }

  /** `{"ack": N}`: the member has processed the first N event frames it was sent. */
  acknowledge(member: P, count: number): void {
    for (const watcher of this.watchers) watcher.acknowledged(member, count);
    const pending = this.unacked.get(member);
    if (!pending) return;
    let done = 0;
    while (done < pending.length && pending[done].sequence <= count) done++;
    if (done === 0) return;
    for (const event of pending.splice(0, done)) this.store.remove(event.storeId);
    this.counters.durable('acknowledged', done);
    if (pending.length === 0) this.unacked.delete(member);
    for (const group of this.registry.groupsOfPeer(member)) this.pump(group);
  }

  /** A member left: what it had not acknowledged goes to another member, or is kept. */
  memberLeft(member: P): void {
    if (member.kind === 'repeater') this.lastRepeaterSeenAt = Date.now();
    for (const watcher of this.watchers) watcher.left(member);
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

  /** Resolves once what durable groups were given so far is in the store (or failed to be). */
  stored(): Promise<void> {
    return this.store.written();
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

  private tracksAcks(group: ConsumerGroup<P>, member: P): boolean {
    // Repeaters never acknowledge; a linked hub's own hub tracks its members' acks.
    return group.durable && group.name !== REPEATER_GROUP && member.kind !== 'hub';
  }

  /**
   * Where a durable group's event goes after a member was (or was not) written to: awaiting
   * its ack, or kept. Stored before either, unless it is stored already; forgotten by the
   * store when neither (a linked hub tracks the acks of its own members).
   */
  private place(
    group: ConsumerGroup<P>,
    member: P | undefined,
    event: GroupEvent,
    written: boolean,
  ): void {
    if (written && member) {
      if (this.tracksAcks(group, member))
        this.remember(group.name, member, this.withStoreId(group, event));
      else if (event.storeId !== 0) this.store.remove(event.storeId);
    } else {
      this.keep(group, event);
    }
  }

  /**
   * The event with its store id, storing it first when it is new. Only groups made durable by
   * a subscription here are stored (and restored): not the repeaters', nor a group durable
   * only on another hub's word, whose events that hub keeps.
   */
  private withStoreId(group: ConsumerGroup<P>, event: GroupEvent): GroupEvent {
    if (event.storeId !== 0 || !group.localDurable || group.name === REPEATER_GROUP) return event;
    const { heldRoom, room, frame, keptAt } = event;
    event.storeId = this.store.append({ group: group.name, heldRoom, room, frame, keptAt });
    return event;
  }

  private remember(group: string, member: P, event: GroupEvent): void {
    let pending = this.unacked.get(member);
    if (!pending) this.unacked.set(member, (pending = []));
    // Named fields rather than a spread: one object shape, built on every durable delivery.
    pending.push({
      sequence: member.eventsOut,
      group,
      heldRoom: event.heldRoom,
      room: event.room,
      frame: event.frame,
      keptAt: event.keptAt,
      deliveredAt: Date.now(),
      storeId: event.storeId,
    });
  }

  private keep(group: ConsumerGroup<P>, event: GroupEvent): void {
    const isRepeaters = group.name === REPEATER_GROUP;
    if (isRepeaters && !this.repeatersExpected(Date.now())) return;
    let backlog = this.backlogs.get(group.name);
    if (!backlog) {
      backlog = new GroupBacklog(isRepeaters ? this.limits.repeaters : this.limits.group, (e) =>
        this.unstore(e),
      );
      this.backlogs.set(group.name, backlog);
    }
    const dropped = backlog.push(this.withStoreId(group, event));
    if (dropped.full > 0) this.counters.drop('backlog-full', dropped.full);
    if (dropped.roomFull > 0) this.counters.drop('room-backlog-full', dropped.roomFull);
  }

  private unstore(event: { storeId: number }): void {
    if (event.storeId !== 0) this.store.remove(event.storeId);
  }

  /** Stores a durable group's rooms when they changed, so it exists again after a restart. */
  private storeGroup(group: ConsumerGroup<P>): void {
    const rooms = [...group.rooms].sort();
    const key = rooms.join('\n');
    if (this.storedRooms.get(group.name) === key) return;
    this.storedRooms.set(group.name, key);
    this.store.saveGroup({ name: group.name, rooms });
  }

  private restoreGroup(name: string, rooms: string[]): void {
    this.holdRooms(name, rooms);
    this.storedRooms.set(name, [...rooms].sort().join('\n'));
  }

  private holdRooms(name: string, rooms: string[]): ConsumerGroup<P> {
    const placeholder = RESTORING as P;
    this.registry.subscribe(placeholder, rooms, name, true);
    this.registry.removePeer(placeholder);
    return this.registry.group(name)!;
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
    if (this.tracksAcks(group, member)) this.remember(group.name, member, event);
    else this.unstore(event);
    return 'taken';
  }

  private redeliver(event: Unacked, previous: P): void {
    const group = this.registry.group(event.group);
    if (!group?.durable) {
      this.unstore(event);
      return void this.counters.drop('group-gone');
    }
    this.counters.durable('redelivered');
    const member = group.pick(event.heldRoom, previous, false, event.room);
    const written = member !== undefined && this.send(group.name, member, event.frame);
    this.place(group, member, event, written);
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
      this.storedRooms.delete(group.name);
      this.store.forgetGroup(group.name);
      this.counters.durable('groups-expired');
    }
  }

  private dropBacklog(name: string, reason: string): void {
    const backlog = this.backlogs.get(name);
    if (!backlog) return;
    this.backlogs.delete(name);
    const dropped = backlog.clear();
    for (const event of dropped) this.unstore(event);
    if (dropped.length > 0) this.counters.drop(reason, dropped.length);
  }
}
