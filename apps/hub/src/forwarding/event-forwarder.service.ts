import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { decodeRoom, FrameError } from '@ces/protocol';
import { refusedEntry, routedEntry } from '../audit/audit-entries';
import { AuditService } from '../audit/audit.service';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { RateLimitedLogger } from '../logging/rate-limited-logger';
import { RoutingSampler } from '../metrics/routing-sampler';
import { ConsumerGroup, REPEATER_GROUP } from '../routing/consumer-group';
import {
  EventSource,
  GroupDelivery,
  GroupsFromHub,
  RoutingService,
} from '../routing/routing.service';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { buildBinaryFrame } from '../transport/frame-writer';
import { GroupBacklogs, KeptEvent } from './group-backlogs';

type Group = ConsumerGroup<PeerConnection>;

const NO_GROUPS: ReadonlySet<string> = new Set();

/**
 * The hub's hot path: read the room line, ask the routing table who gets the event,
 * frame the same bytes once and write them to each recipient. The event's JSON is
 * never parsed here. Durable groups' events are also remembered until acknowledged.
 */
@Injectable()
export class EventForwarder implements OnModuleInit, OnModuleDestroy {
  private readonly log = new RateLimitedLogger(new Logger(EventForwarder.name));
  private readonly awaitingAck = new Set<PeerConnection>();
  private sweepTimer?: NodeJS.Timeout;
  private readonly canSend = (peer: PeerConnection): boolean =>
    peer.isOpen && peer.bufferedBytes <= this.config.sendHighWaterBytes;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly routing: RoutingService<PeerConnection>,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly backlogs: GroupBacklogs,
    private readonly counters: HubCounters,
    private readonly audit: AuditService,
    private readonly routingSampler: RoutingSampler,
  ) {}

  onModuleInit(): void {
    const every = Math.max(50, Math.min(1000, this.config.durable.ackTimeoutMs / 4));
    this.sweepTimer = setInterval(() => this.redeliverOverdue(), every);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  /** Routes one event frame; returns false (after counting why) when the frame is refused. */
  forward(source: EventSource, sender: PeerConnection | undefined, frame: Buffer): boolean {
    const sampledAt = this.routingSampler.begin(); // 0 but for one event in 1024
    const room = this.readRoom(sender, frame);
    if (room === undefined) return false;
    if (sender?.mayPublish && !sender.mayPublish(room)) return this.refusePublish(sender, room);
    if (sender) sender.eventsIn++;
    this.counters.eventIn(source);

    const groupsFromHub = source === 'hub' && sender ? this.groupsAskedBy(sender) : undefined;
    const decision = this.routing.route(source, sender, room, this.canSend, groupsFromHub);
    if (decision.groupDeliveries.length > 0) this.announceToHubs(decision.groupDeliveries);
    if (decision.recipients.length > 0) this.sendToAll(decision.recipients, frame);
    if (decision.groupDeliveries.length > 0)
      this.trackDurable(decision.groupDeliveries, room, frame);
    for (const group of decision.waitingGroups) this.backlogs.keep(group, room, frame);
    if (decision.busyGroups.length > 0)
      this.counters.drop('group-busy', decision.busyGroups.length);
    if (sampledAt !== 0) this.routingSampler.end(sampledAt);
    if (this.audit.enabled)
      this.audit.record(routedEntry(sourceOf(source, sender), room, frame, decision));
    return true;
  }

  /** Delivers what was kept for a group to a member that just arrived. */
  deliverBacklog(group: Group, member: PeerConnection): void {
    for (const kept of this.backlogs.take(group.name)) this.deliverToMember(group, member, kept);
  }

  /** `{"ack": N}`: the member has processed the first N events this connection delivered. */
  acknowledge(peer: PeerConnection, count: number): void {
    const unacked = peer.unacked;
    let done = 0;
    while (done < unacked.length && unacked[done].sequence <= count) done++;
    unacked.splice(0, done);
    if (unacked.length === 0) this.awaitingAck.delete(peer);
  }

  /** A member left: what it had not acknowledged goes to another member, or is kept. */
  releaseUnacked(peer: PeerConnection): void {
    this.awaitingAck.delete(peer);
    for (const event of peer.unacked.splice(0)) {
      this.redeliver(
        this.registry.group(event.group),
        { ...event, keptAt: event.deliveredAt },
        peer,
      );
    }
  }

  private groupsAskedBy(hub: PeerConnection): GroupsFromHub {
    // A hub that sent no id is an original Go hub: it knows nothing of groups.
    if (!hub.remoteHubId) return 'all';
    const groups = hub.pendingGroups ?? NO_GROUPS;
    hub.pendingGroups = undefined;
    return groups;
  }

  /** A hub picked for groups hears which ones just before the event, on the same socket. */
  private announceToHubs(deliveries: GroupDelivery<PeerConnection>[]): void {
    let byHub: Map<PeerConnection, string[]> | undefined;
    for (const { group, member } of deliveries) {
      if (member.kind !== 'hub') continue;
      byHub ??= new Map();
      const names = byHub.get(member);
      if (names) names.push(group.name);
      else byHub.set(member, [group.name]);
    }
    for (const [hub, names] of byHub ?? []) hub.sendText(JSON.stringify({ deliver: names }));
  }

  private trackDurable(
    deliveries: GroupDelivery<PeerConnection>[],
    room: string,
    frame: Buffer,
  ): void {
    for (const { group, member } of deliveries) {
      // Repeaters cannot acknowledge: their group keeps events only while none is connected.
      if (!group.durable || member.kind === 'hub' || group.name === REPEATER_GROUP) continue;
      if (!member.isOpen) this.backlogs.keep(group, room, frame);
      else this.remember(member, group.name, room, frame);
    }
  }

  private remember(member: PeerConnection, group: string, room: string, frame: Buffer): void {
    member.unacked.push({
      sequence: member.eventsOut,
      group,
      room,
      frame,
      deliveredAt: Date.now(),
    });
    this.awaitingAck.add(member);
  }

  private deliverToMember(group: Group, member: PeerConnection, event: KeptEvent): void {
    if (member.kind === 'hub') member.sendText(JSON.stringify({ deliver: [group.name] }));
    this.sendToAll([member], event.frame);
    if (group.durable && member.kind !== 'hub' && group.name !== REPEATER_GROUP) {
      this.remember(member, group.name, event.room, event.frame);
    }
  }

  private redeliver(
    group: Group | undefined,
    event: KeptEvent & { group: string },
    previous: PeerConnection,
  ): void {
    if (!group) return void this.counters.drop('group-gone');
    this.counters.durable('redelivered');
    const member = group.pick(event.room, previous, false, this.canSend);
    if (member) this.deliverToMember(group, member, event);
    else this.backlogs.keep(group, event.room, event.frame);
  }

  private redeliverOverdue(): void {
    if (this.awaitingAck.size === 0) return;
    const overdue = Date.now() - this.config.durable.ackTimeoutMs;
    for (const peer of [...this.awaitingAck]) {
      let count = 0;
      while (count < peer.unacked.length && peer.unacked[count].deliveredAt < overdue) count++;
      if (count === 0) continue;
      for (const event of peer.unacked.splice(0, count)) {
        this.redeliver(
          this.registry.group(event.group),
          { ...event, keptAt: event.deliveredAt },
          peer,
        );
      }
      if (peer.unacked.length === 0) this.awaitingAck.delete(peer);
    }
  }

  private sendToAll(recipients: PeerConnection[], frame: Buffer): void {
    const wire = buildBinaryFrame(frame);
    const highWater = this.config.sendHighWaterBytes;
    let messengers = 0;
    let repeaters = 0;
    let hubs = 0;
    let dropped = 0;
    for (const peer of recipients) {
      if (!peer.trySend(wire, frame, highWater)) dropped++;
      else if (peer.kind === 'messenger') messengers++;
      else if (peer.kind === 'repeater') repeaters++;
      else hubs++;
    }
    // Counted once per event, not per recipient.
    if (messengers) this.counters.eventsOutTo('messenger', messengers);
    if (repeaters) this.counters.eventsOutTo('repeater', repeaters);
    if (hubs) this.counters.eventsOutTo('hub', hubs);
    if (dropped) this.counters.drop('slow-consumer', dropped);
  }

  private refusePublish(sender: PeerConnection, room: string): false {
    this.counters.reject('publish-forbidden');
    sender.rejected++;
    sender.sendText(
      JSON.stringify({ error: `your token does not grant publishing into ${room}`, details: [] }),
    );
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

function hasContentAfter(frame: Buffer, newlineAt: number): boolean {
  for (let i = newlineAt + 1; i < frame.length; i++) {
    const byte = frame[i];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return true;
  }
  return false;
}
