import { Injectable } from '@nestjs/common';
import { PeerKind, WILDCARD_ROOM } from '@ces/protocol';
import { ConsumerGroup, REPEATER_GROUP } from './consumer-group';
import { RoutablePeer } from './routable-peer';
import { SubscriptionRegistry } from './subscription-registry';

/** Where an event comes from: a connected peer, or the hub's own REST endpoint. */
export type EventSource = PeerKind | 'api';

/** One consumer group's pick: a local member, or a linked hub that has members of the group. */
export interface GroupDelivery<P extends RoutablePeer> {
  group: ConsumerGroup<P>;
  member: P;
}

export interface RouteDecision<P extends RoutablePeer> {
  /** Each gets the event once (linked hubs included, whether or not a group picked them). */
  recipients: P[];
  /** What each group picked; a hub picked here must deliver to one of its own members. */
  groupDeliveries: GroupDelivery<P>[];
  /** Durable groups with no member to take the event now: they keep it. */
  waitingGroups: ConsumerGroup<P>[];
  /** Groups whose every member is too far behind to take the event: it is dropped for them. */
  busyGroups: ConsumerGroup<P>[];
}

/**
 * For an event from another hub, the groups it asks us to deliver to: the names it sent
 * before the event, or every local group when it is a hub that knows nothing of groups.
 */
export type GroupsFromHub = ReadonlySet<string> | 'all';

const NO_GROUPS: ReadonlySet<string> = new Set();
const NO_GROUP_SET: ReadonlySet<never> = new Set();

/**
 * The routing table of the seeds, as a pure function of the registry:
 *
 * | source    | goes to                                                                   |
 * |-----------|---------------------------------------------------------------------------|
 * | hub       | messengers of the room and of `*`                                         |
 * | messenger | messengers of the room and `*` (not the sender), every hub, one repeater  |
 * | repeater  | messengers of the room and `*`, every hub; never a repeater               |
 *
 * Consumer groups get each event at one member. Repeaters are one such group, for every
 * room. Linked hubs count as members of the groups they have members of, so the hub where
 * an event enters picks one member for the whole mesh.
 */
@Injectable()
export class RoutingService<P extends RoutablePeer = RoutablePeer> {
  constructor(private readonly registry: SubscriptionRegistry<P>) {}

  route(
    source: EventSource,
    sender: P | undefined,
    room: string,
    canSend: (peer: P) => boolean,
    groupsFromHub: GroupsFromHub = NO_GROUPS,
  ): RouteDecision<P> {
    const decision: RouteDecision<P> = {
      recipients: [],
      groupDeliveries: [],
      waitingGroups: [],
      busyGroups: [],
    };
    this.addSubscribers(decision.recipients, room, sender);
    if (source !== 'hub') {
      for (const hub of this.registry.linkedHubs) if (hub !== sender) decision.recipients.push(hub);
    }
    const ofRoom = this.registry.groupsOf(room);
    const ofAll = room === WILDCARD_ROOM ? NO_GROUP_SET : this.registry.groupsOf(WILDCARD_ROOM);
    if (ofRoom.size === 0 && ofAll.size === 0) return decision;
    for (const group of ofRoom) {
      if (this.wanted(group, source, groupsFromHub))
        this.pickMember(decision, group, room, sender, source, canSend);
    }
    for (const group of ofAll) {
      if (!ofRoom.has(group) && this.wanted(group, source, groupsFromHub)) {
        this.pickMember(decision, group, WILDCARD_ROOM, sender, source, canSend);
      }
    }
    return decision;
  }

  /** Repeaters take only messengers' events; from a hub, only the groups it names. */
  private wanted(
    group: ConsumerGroup<P>,
    source: EventSource,
    groupsFromHub: GroupsFromHub,
  ): boolean {
    if (group.name === REPEATER_GROUP) return source === 'messenger' || source === 'api';
    if (source !== 'hub') return true;
    return groupsFromHub === 'all' || groupsFromHub.has(group.name);
  }

  private addSubscribers(recipients: P[], room: string, sender: P | undefined): void {
    const inRoom = this.registry.subscribersOf(room);
    for (const peer of inRoom) if (peer !== sender) recipients.push(peer);
    if (room === WILDCARD_ROOM) return;
    // A peer subscribed to the room and to `*` gets one copy.
    for (const peer of this.registry.subscribersOf(WILDCARD_ROOM)) {
      if (peer !== sender && !inRoom.has(peer)) recipients.push(peer);
    }
  }

  private pickMember(
    decision: RouteDecision<P>,
    group: ConsumerGroup<P>,
    heldRoom: string,
    sender: P | undefined,
    source: EventSource,
    canSend: (peer: P) => boolean,
  ): void {
    // Events from a hub were already given to one hub per group: deliver them here only.
    const localOnly = source === 'hub';
    const member = group.pick(heldRoom, sender, localOnly, canSend);
    if (member) {
      if (member.kind !== 'hub') decision.recipients.push(member);
      decision.groupDeliveries.push({ group, member });
    } else if (group.hasMemberFor(heldRoom, sender, localOnly)) {
      decision.busyGroups.push(group);
    } else if (group.durable && !(sender && group.roomsOf(sender).has(heldRoom))) {
      decision.waitingGroups.push(group);
    }
  }
}
