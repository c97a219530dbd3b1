import { Injectable } from '@nestjs/common';
import { PeerKind, WILDCARD_ROOM } from '@ces/protocol';
import { ConsumerGroup, REPEATER_GROUP } from './consumer-group';
import { RoutablePeer } from './routable-peer';
import { SubscriptionRegistry } from './subscription-registry';

/** Where an event comes from: a connected peer, or the hub's own REST endpoint. */
export type EventSource = PeerKind | 'api';

export interface RouteDecision<P extends RoutablePeer> {
  /** Each gets the event once. */
  recipients: P[];
  /** Durable groups with no member to take the event now: they keep it. */
  waitingGroups: ConsumerGroup<P>[];
  /** Groups whose every member is too far behind to take the event: it is dropped for them. */
  busyGroups: ConsumerGroup<P>[];
}

/**
 * The routing table of the seeds, as a pure function of the registry:
 *
 * | source    | goes to                                                             |
 * |-----------|---------------------------------------------------------------------|
 * | hub       | messengers of the room and of `*`                                   |
 * | messenger | messengers of the room and `*` (not the sender), every hub, one repeater |
 * | repeater  | messengers of the room and `*`, every hub; never a repeater          |
 *
 * Consumer groups (repeaters are one) get each event at one member.
 */
@Injectable()
export class RoutingService<P extends RoutablePeer = RoutablePeer> {
  constructor(private readonly registry: SubscriptionRegistry<P>) {}

  route(
    source: EventSource,
    sender: P | undefined,
    room: string,
    canSend: (peer: P) => boolean,
  ): RouteDecision<P> {
    const decision: RouteDecision<P> = { recipients: [], waitingGroups: [], busyGroups: [] };
    this.addSubscribers(decision.recipients, room, sender);
    if (source !== 'hub') {
      for (const hub of this.registry.linkedHubs) if (hub !== sender) decision.recipients.push(hub);
    }
    this.addGroupMembers(
      decision,
      room,
      sender,
      canSend,
      source === 'messenger' || source === 'api',
    );
    return decision;
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

  private addGroupMembers(
    decision: RouteDecision<P>,
    room: string,
    sender: P | undefined,
    canSend: (peer: P) => boolean,
    includeRepeaters: boolean,
  ): void {
    const ofRoom = this.registry.groupsOf(room);
    const ofAll =
      room === WILDCARD_ROOM ? new Set<ConsumerGroup<P>>() : this.registry.groupsOf(WILDCARD_ROOM);
    for (const group of ofRoom)
      this.pickMember(decision, group, room, sender, canSend, includeRepeaters);
    for (const group of ofAll) {
      if (ofRoom.has(group)) continue;
      this.pickMember(decision, group, WILDCARD_ROOM, sender, canSend, includeRepeaters);
    }
  }

  private pickMember(
    decision: RouteDecision<P>,
    group: ConsumerGroup<P>,
    heldRoom: string,
    sender: P | undefined,
    canSend: (peer: P) => boolean,
    includeRepeaters: boolean,
  ): void {
    if (group.name === REPEATER_GROUP && !includeRepeaters) return;
    const member = group.pick(heldRoom, canSend, sender);
    if (member) decision.recipients.push(member);
    else if (group.hasMemberFor(heldRoom, sender)) decision.busyGroups.push(group);
    else if (group.durable && !group.hasMemberFor(heldRoom)) decision.waitingGroups.push(group);
  }
}
