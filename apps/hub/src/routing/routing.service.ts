import { Injectable, Optional } from '@nestjs/common';
import { BackboneGate } from '../cluster/backbone';
import { PeerKind, WILDCARD_ROOM } from '@ces/protocol';
import { GroupsFromHub, LinkRegistry, OpenLink } from '../interconnect/link-registry';
import { ConsumerGroup, REPEATER_GROUP } from './consumer-group';
import { GroupPicks } from './group-picks';
import { PeerList } from './peer-list';
import { RoutablePeer } from './routable-peer';
import { SubscriptionRegistry } from './subscription-registry';

/** Where an event comes from: a connected peer, or the hub's own REST endpoint. */
export type EventSource = PeerKind | 'api';

export type { GroupDelivery } from './group-picks';

/**
 * Who gets one event. The same object is reused for every event (the caller consumes it
 * before routing the next one), so routing allocates nothing for an event of a room
 * without groups.
 */
export interface RouteDecision<P extends RoutablePeer> {
  /** Plain recipients, each once: subscribers of the room and of `*`, and linked hubs. */
  readonly recipients: PeerList<P>;
  /** What each group of the room picked (or failed to pick). */
  readonly groups: GroupPicks<P>;
}

const NO_GROUPS: ReadonlySet<string> = new Set();

/**
 * The routing table, as a pure function of the registries:
 *
 * | source    | goes to                                                                   |
 * |-----------|---------------------------------------------------------------------------|
 * | hub       | messengers of the room and of `*`                                         |
 * | messenger | messengers of the room and `*` (not the sender), hubs, one repeater       |
 * | repeater  | messengers of the room and `*`, hubs; never a repeater                    |
 *
 * An event from a hub goes to local peers only, so in a full mesh every event crosses one
 * link at most and nothing loops. It crosses a link only when the hub behind it wants the
 * room (its local subscribers of the room or `*`, as it told us; everything while it has
 * not told, or never does, like the original Go hub) or was picked for one of its groups.
 *
 * Consumer groups get each event at one member. Repeaters are one such group, for every
 * room. Linked hubs count as members of the groups they have members of, so the hub where
 * an event enters picks one member for the whole mesh. A peer that is both a subscriber
 * and the member a group picked gets one copy.
 */
@Injectable()
export class RoutingService<P extends RoutablePeer = RoutablePeer> {
  private readonly decision: RouteDecision<P> = {
    recipients: new PeerList(),
    groups: new GroupPicks(),
  };

  constructor(
    private readonly registry: SubscriptionRegistry<P>,
    private readonly links: LinkRegistry,
    @Optional() private readonly backbone: BackboneGate = new BackboneGate(),
  ) {}

  /**
   * `toLinks`: whether linked hubs may get the event; by default unless it came from a hub.
   * In cluster mode an event the cluster brought is from a hub, yet goes to this hub's links
   * (hubs outside the cluster) when it entered the cluster from a messenger or a repeater.
   */
  route(
    source: EventSource,
    sender: P | undefined,
    room: string,
    groupsFromHub: GroupsFromHub = NO_GROUPS,
    toLinks = source !== 'hub',
  ): RouteDecision<P> {
    const decision = this.decision;
    decision.recipients.clear();
    decision.groups.clear();
    this.pickGroups(decision.groups, source, sender, room, groupsFromHub);
    this.addSubscribers(decision, room, sender);
    if (toLinks) this.addLinks(decision, room, sender);
    return decision;
  }

  /** One lookup per link, no allocation: this runs for every event a messenger sends. */
  private addLinks(decision: RouteDecision<P>, room: string, sender: P | undefined): void {
    const open = this.links.open as readonly OpenLink<RoutablePeer>[] as readonly OpenLink<P>[];
    const picked = decision.groups.size > 0 ? decision.groups : undefined;
    for (let i = 0; i < open.length; i++) {
      const { peer, interest } = open[i];
      if (peer === sender) continue;
      if (interest.wants(room) || (picked && picked.picked(peer))) decision.recipients.push(peer);
      else interest.eventsSkipped++;
    }
  }

  private pickGroups(
    into: GroupPicks<P>,
    source: EventSource,
    sender: P | undefined,
    room: string,
    groupsFromHub: GroupsFromHub,
  ): void {
    // Where a backbone picks one member per group across hubs, an event entering here
    // reaches groups (here too) through it.
    if (source !== 'hub' && this.backbone.backbone.picksGroups) return;
    const ofRoom = this.registry.groupsOf(room);
    const ofAll = room === WILDCARD_ROOM ? undefined : this.registry.groupsOf(WILDCARD_ROOM);
    if (ofRoom.size === 0 && (ofAll === undefined || ofAll.size === 0)) return;
    // Events from a hub were already given to one hub per group: deliver them here only.
    const localOnly = source === 'hub';
    for (const group of ofRoom) {
      if (wanted(group, source, groupsFromHub))
        into.add(group, room, group.pick(room, sender, localOnly));
    }
    if (ofAll === undefined) return;
    for (const group of ofAll) {
      if (ofRoom.has(group) || !wanted(group, source, groupsFromHub)) continue;
      // A group with no member that keeps nothing (the repeaters' on a hub without any) is
      // skipped before anything is allocated for it.
      if (group.memberCount === 0 && !group.durable) continue;
      const member = group.pick(WILDCARD_ROOM, sender, localOnly, room);
      into.add(group, WILDCARD_ROOM, member);
    }
  }

  private addSubscribers(decision: RouteDecision<P>, room: string, sender: P | undefined): void {
    const recipients = decision.recipients;
    const picked = decision.groups.size > 0 ? decision.groups : undefined;
    const inRoom = this.registry.subscribersOf(room);
    for (const peer of inRoom)
      if (peer !== sender && !(picked && picked.picked(peer))) recipients.push(peer);
    if (room === WILDCARD_ROOM) return;
    // A peer subscribed to the room and to `*` gets one copy.
    for (const peer of this.registry.subscribersOf(WILDCARD_ROOM)) {
      if (peer !== sender && !inRoom.has(peer) && !(picked && picked.picked(peer)))
        recipients.push(peer);
    }
  }
}

/** Repeaters take only messengers' events; from a hub, only the groups it names. */
function wanted<P extends RoutablePeer>(
  group: ConsumerGroup<P>,
  source: EventSource,
  groupsFromHub: GroupsFromHub,
): boolean {
  if (group.name === REPEATER_GROUP) return source === 'messenger' || source === 'api';
  if (source !== 'hub') return true;
  return groupsFromHub === 'all' || groupsFromHub.has(group.name);
}
