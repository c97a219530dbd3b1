import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ConfirmRequest,
  ControlMessage,
  ControlMessageError,
  FieldError,
  parseConfirmRequest,
  parseControlMessage,
  parseHubLinkMessage,
  parseMeshMessage,
  SubscriptionChange,
} from '@ces/protocol';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConfirmsService } from '../confirms/confirms.service';
import { DurableDelivery } from '../durable/durable-delivery';
import { RoomHistory } from '../history/room-history.service';
import { LinkEvents } from '../interconnect/link-events';
import { LinkRegistry } from '../interconnect/link-registry';
import { RateLimitedLogger } from '@ces/server-kit';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { PeerConnection } from './peer-connection';

/** Error replies list at most this many field errors: a reply never grows with the input. */
const MAX_REPLY_DETAILS = 10;
const MAX_ECHOED_CHARS = 64;

interface Refusal {
  reason: string;
  message: string;
  details: FieldError[];
}

/**
 * Text frames that are not events: a messenger's subscription changes and acks, a linked
 * hub's group advertisements, delivery notices and interest. Each goes to the state's owner.
 */
@Injectable()
export class ControlMessagesService {
  private readonly log = new RateLimitedLogger(new Logger(ControlMessagesService.name));

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly durable: DurableDelivery<PeerConnection>,
    private readonly links: LinkRegistry<PeerConnection>,
    private readonly counters: HubCounters,
    private readonly linkEvents: LinkEvents,
    private readonly history: RoomHistory,
    private readonly confirms: ConfirmsService,
  ) {}

  /**
   * A messenger's subscription change or ack. Subscription changes are held to the peer's
   * rate limit (`overRate` when over it); acks are not, since holding them back would only
   * make the hub redeliver what was processed.
   */
  fromMessenger(
    peer: PeerConnection,
    data: Buffer,
    overRate: (peer: PeerConnection) => void,
  ): void {
    const confirm = data.includes('"confirm"') ? this.confirmRequestOf(peer, data) : undefined;
    if (confirm === null) return;
    if (confirm) return this.confirms.open(peer, confirm);
    let message: ControlMessage;
    try {
      message = parseControlMessage(data, this.config.frameLimits);
    } catch (error) {
      if (peer.publishBucket && !peer.publishBucket.take()) return overRate(peer);
      const invalid = error as ControlMessageError;
      return this.refuse(peer, {
        reason: 'invalid-subscription',
        message: invalid.message,
        details: invalid.details ?? [],
      });
    }
    if (message.type === 'ack') return this.durable.acknowledge(peer, message.ack);
    if (peer.publishBucket && !peer.publishBucket.take()) return overRate(peer);
    if (message.create) this.subscribe(peer, message);
    else this.registry.unsubscribe(peer, message.rooms, message.group);
    if (message.group !== undefined) this.links.groupsChanged();
  }

  /** A confirm request; undefined when the frame is another message, null when it was refused. */
  private confirmRequestOf(peer: PeerConnection, data: Buffer): ConfirmRequest | undefined | null {
    try {
      return parseConfirmRequest(data);
    } catch (error) {
      const invalid = error as ControlMessageError;
      this.refuse(peer, {
        reason: 'invalid-confirm',
        message: invalid.message,
        details: invalid.details,
      });
      return null;
    }
  }

  fromHub(peer: PeerConnection, data: Buffer): void {
    const text = data.toString('utf8');
    const message = parseHubLinkMessage(text);
    if (!message) {
      // Mesh messages are rare (membership changes); group bookkeeping is read first.
      const members = peer.remoteHubId === undefined ? undefined : parseMeshMessage(text);
      if (members) return this.linkEvents.members(peer, members);
      this.counters.reject('invalid-hub-message');
      return;
    }
    switch (message.type) {
      case 'deliver':
        return this.links.receiveDeliver(peer, message.groups);
      case 'groups':
        return this.links.receiveAdvertisement(peer, message.groups);
      case 'interest':
        return this.links.receiveInterest(peer, message.change);
      case 'invalid-interest':
        this.counters.reject('invalid-hub-message');
        return this.links.interestUnreadable(peer);
    }
  }

  private subscribe(peer: PeerConnection, change: SubscriptionChange): void {
    const refusal = this.refusalOf(peer, change);
    if (refusal) {
      this.refuse(peer, refusal);
      if (change.recover) this.history.refuseForbidden(peer, change.recover);
      return;
    }
    if (change.positions) peer.positions = true;
    this.registry.subscribe(peer, change.rooms, change.group, change.durable);
    // In the same turn as the subscription: the replay ends where live events begin.
    if (change.recover) this.history.recover(peer, change.recover);
    if (change.group === undefined) return;
    this.durable.memberJoined(this.registry.group(change.group)!, peer);
  }

  private refusalOf(peer: PeerConnection, change: SubscriptionChange): Refusal | undefined {
    const forbidden = change.rooms.filter((room) => !peer.mayGet(room));
    if (forbidden.length > 0) {
      return {
        reason: 'subscribe-forbidden',
        message: 'your token does not grant these rooms',
        details: forbidden.map((room) => ({
          field: 'rooms',
          errors: [`${shorten(room)}: not granted`],
        })),
      };
    }
    const { maxRoomsPerPeer, maxGroupsPerPeer } = this.config.limits;
    const group = change.group === undefined ? undefined : this.registry.group(change.group);
    const held = group ? group.roomsOf(peer) : this.registry.roomsOf(peer);
    const added = change.rooms.filter((room) => !held.has(room)).length;
    if (this.registry.roomCountOf(peer) + added > maxRoomsPerPeer) {
      const message = `a connection may hold at most ${maxRoomsPerPeer} rooms, its groups' included`;
      return { reason: 'too-many-rooms', message, details: [] };
    }
    if (change.group === undefined) return undefined;
    const joined = group !== undefined && this.registry.groupsOfPeer(peer).has(group);
    if (!joined && this.registry.groupsOfPeer(peer).size >= maxGroupsPerPeer) {
      const message = `a connection may be in at most ${maxGroupsPerPeer} groups`;
      return { reason: 'too-many-groups', message, details: [] };
    }
    const newDurable = change.durable === true && !group?.durable;
    if (newDurable && this.registry.durableGroupCount >= this.config.durable.maxGroups) {
      const message = `the hub keeps at most ${this.config.durable.maxGroups} durable groups`;
      return { reason: 'too-many-durable-groups', message, details: [] };
    }
    return undefined;
  }

  private refuse(peer: PeerConnection, refusal: Refusal): void {
    this.counters.reject(refusal.reason);
    peer.rejected++;
    this.log.warn(refusal.reason, `${peer.id}: ${refusal.message}`);
    peer.sendError(refusal.message, bounded(refusal.details));
  }
}

function bounded(details: FieldError[]): FieldError[] {
  const shown = details.slice(0, MAX_REPLY_DETAILS);
  if (details.length > shown.length)
    shown.push({ field: '...', errors: [`${details.length - shown.length} more errors`] });
  return shown;
}

function shorten(text: string): string {
  return text.length <= MAX_ECHOED_CHARS ? text : `${text.slice(0, MAX_ECHOED_CHARS - 3)}...`;
}
