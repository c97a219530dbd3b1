import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeRoom, encodeDeliver, FrameError } from '@ces/protocol';
import { refusedEntry, routedEntry } from '../audit/audit-entries';
import { AuditService } from '../audit/audit.service';
import { BackboneGate } from '../cluster/backbone';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { DurableDelivery } from '../durable/durable-delivery';
import { LinkRegistry } from '../interconnect/link-registry';
import { RateLimitedLogger } from '@ces/server-kit';
import { RoutingSampler } from '../metrics/routing-sampler';
import { GroupPicks } from '../routing/group-picks';
import { EventSource, RoutingService } from '../routing/routing.service';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { RoomRates } from '../status/room-rates.service';
import { buildBinaryFrame, WireFrame } from '../transport/frame-writer';
import { RoomHistory } from '../history/room-history.service';
import { Delivery } from './delivery';

/**
 * The hub's hot path: read the room line, ask the routing table who gets the event,
 * frame the same bytes once and write them to each recipient. The event's JSON is
 * never parsed here. What durable groups must not lose goes to durable delivery.
 */
@Injectable()
export class EventForwarder {
  private readonly log = new RateLimitedLogger(new Logger(EventForwarder.name));
  /** Why the last frame `forward` returned false for was refused (read by publish confirms). */
  lastRefusal = { reason: '', message: '' };
  /** The one pick of an event the cluster gave this hub for a group, reused. */
  private readonly clusterPick = new GroupPicks<PeerConnection>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly routing: RoutingService<PeerConnection>,
    private readonly links: LinkRegistry<PeerConnection>,
    private readonly delivery: Delivery,
    private readonly durable: DurableDelivery<PeerConnection>,
    private readonly counters: HubCounters,
    private readonly audit: AuditService,
    private readonly routingSampler: RoutingSampler,
    private readonly roomRates: RoomRates,
    private readonly history: RoomHistory,
    private readonly backbone: BackboneGate,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
  ) {}

  /**
   * Routes one event frame; returns false (after counting why) when the frame is refused.
   * `toLinks`: whether linked hubs may get it (an event from a hub: only one the cluster
   * brought that entered it from a messenger or a repeater).
   */
  forward(
    source: EventSource,
    sender: PeerConnection | undefined,
    frame: Buffer,
    toLinks = source !== 'hub',
  ): boolean {
    const sampledAt = this.routingSampler.begin(); // 0 but for one event in 1024
    const room = this.readRoom(sender, frame);
    if (room === undefined) return false;
    if (sender?.mayPublish && !sender.mayPublish(room)) return this.refusePublish(sender, room);
    if (sender) sender.eventsIn++;
    this.counters.eventIn(source);
    this.roomRates.count(room);
    // What entered here goes to the other hubs once; what came from them (no sender) never
    // goes back. An original Go hub's events are bridged: it is not part of the cluster.
    const entered = source !== 'hub' || (sender !== undefined && sender.remoteHubId === undefined);
    // Kept (and positioned) only in history rooms; elsewhere this is one check.
    const positioned =
      this.history.isHistoryRoom === undefined
        ? undefined
        : this.history.record(room, frame, entered, sender?.id);

    const asked = source === 'hub' && sender ? this.links.takeAsked(sender) : undefined;
    const decision = this.routing.route(source, sender, room, asked, toLinks);
    const { recipients, groups } = decision;
    // Framed once for every recipient, and not at all for an event nobody gets.
    if (recipients.size > 0 || groups.size > 0) {
      const wire = buildBinaryFrame(frame);
      if (groups.size > 0) this.announceToHubs(groups);
      if (recipients.size > 0) this.delivery.toAll(recipients, wire, frame, positioned);
      if (groups.size > 0) this.deliverToGroups(groups, sender, room, frame, wire);
    }
    if (entered) this.backbone.backbone.publish(source, room, frame, sender);
    if (sampledAt !== 0) this.routingSampler.end(sampledAt);
    if (this.audit.enabled)
      this.audit.record(routedEntry(sourceOf(source, sender), room, frame, decision));
    return true;
  }

  /**
   * An event the cluster gave this hub for one of its groups (`heldRoom`: the group's room
   * that matched, the event's or `*`): one local member gets it, never `sender`. False
   * when the frame is refused or the group is gone.
   */
  forwardToGroup(
    groupName: string,
    heldRoom: string,
    frame: Buffer,
    sender: PeerConnection | undefined,
  ): boolean {
    const room = this.readRoom(undefined, frame);
    const group = this.registry.group(groupName);
    if (room === undefined || group === undefined) return false;
    const member = group.pick(heldRoom, sender, true, room);
    // NATS picked the sender's own hub, where the sender is the group's only member: the
    // queue cannot pick again, so the group misses this event (counted).
    if (!member && sender && !group.durable && !group.hasMemberFor(heldRoom, sender, true)) {
      if (group.isMemberFor(sender, heldRoom)) this.counters.drop('group-sender-only');
      return true;
    }
    const picks = this.clusterPick;
    picks.clear();
    picks.add(group, heldRoom, member);
    this.deliverToGroups(picks, sender, room, frame, buildBinaryFrame(frame));
    return true;
  }

  /** A hub picked for groups hears which ones just before the event, on the same socket. */
  private announceToHubs(groups: GroupPicks<PeerConnection>): void {
    for (let i = 0; i < groups.size; i++) {
      const hub = groups.at(i).member;
      if (hub?.kind !== 'hub' || this.firstPickOf(groups, hub) !== i) continue;
      const names: string[] = [];
      for (let j = i; j < groups.size; j++)
        if (groups.at(j).member === hub) names.push(groups.at(j).group.name);
      hub.sendControl(encodeDeliver(names));
    }
  }

  private firstPickOf(groups: GroupPicks<PeerConnection>, peer: PeerConnection): number {
    for (let i = 0; i < groups.size; i++) if (groups.at(i).member === peer) return i;
    return -1;
  }

  private deliverToGroups(
    groups: GroupPicks<PeerConnection>,
    sender: PeerConnection | undefined,
    room: string,
    frame: Buffer,
    wire: WireFrame,
  ): void {
    for (let i = 0; i < groups.size; i++) {
      const { group, heldRoom, member } = groups.at(i);
      // A linked hub got the event as a recipient, right after its notice.
      if (member?.kind === 'hub') continue;
      if (!member && !group.durable) {
        if (group.hasMemberFor(heldRoom, sender)) this.counters.drop('group-busy');
        continue;
      }
      // A durable group whose only member sent the event does not keep it for that member.
      if (
        !member &&
        sender &&
        !group.hasMemberFor(heldRoom, sender) &&
        group.isMemberFor(sender, heldRoom)
      )
        continue;
      const written = member !== undefined && this.delivery.toOne(member, wire, frame);
      this.durable.routed(group, member, heldRoom, room, frame, written);
    }
  }

  private refusePublish(sender: PeerConnection, room: string): false {
    this.counters.reject('publish-forbidden');
    sender.rejected++;
    const message = `your token does not grant publishing into ${shorten(room)}`;
    this.lastRefusal = { reason: 'publish-forbidden', message };
    sender.sendError(message);
    if (this.audit.enabled)
      this.audit.record(refusedEntry(sourceOf(sender.kind, sender), 'publish-forbidden', [], room));
    return false;
  }

  private readRoom(sender: PeerConnection | undefined, frame: Buffer): string | undefined {
    try {
      const { room, newlineAt } = decodeRoom(frame, this.config.frameLimits);
      if (!hasContentAfter(frame, newlineAt))
        throw new FrameError('empty-event', 'frame has a room id but no event');
      return room;
    } catch (error) {
      const reason = error instanceof FrameError ? error.reason : 'invalid-frame';
      this.lastRefusal = { reason, message: String((error as Error).message) };
      this.counters.reject(reason);
      if (sender) sender.rejected++;
      if (this.audit.enabled)
        this.audit.record(refusedEntry(sourceOf(sender?.kind ?? 'api', sender), reason));
      this.log.warn(
        reason,
        `rejected a frame from ${sender?.id ?? 'the REST API'}: ${String((error as Error).message)}`,
      );
      return undefined;
    }
  }
}

function sourceOf(kind: EventSource, peer: PeerConnection | undefined) {
  return { kind, id: peer?.id };
}

/** Rooms are echoed in errors only this long: a reply never grows with the input. */
function shorten(room: string): string {
  return room.length <= 64 ? room : `${room.slice(0, 61)}...`;
}

function hasContentAfter(frame: Buffer, newlineAt: number): boolean {
  for (let i = newlineAt + 1; i < frame.length; i++) {
    const byte = frame[i];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return true;
  }
  return false;
}
