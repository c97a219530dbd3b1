import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import {
  CloseCodes,
  ControlMessage,
  ControlMessageError,
  parseControlMessage,
  PeerKind,
} from '@ces/protocol';
import { WebSocket } from 'ws';
import { PeerGrants } from '@ces/server-kit';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { TokenBucket } from '../limits/token-bucket';
import { EventForwarder } from '../forwarding/event-forwarder.service';
import { RateLimitedLogger } from '../logging/rate-limited-logger';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { PeerConnection } from './peer-connection';

export interface AcceptOptions {
  remoteAddress: string;
  remoteIp: string;
  grants?: PeerGrants;
  remoteHubId?: string;
  direction?: 'in' | 'out';
}

const OPEN_BRACE = 0x7b;

/**
 * Owns every peer socket of the hub once it is open: reads its frames, hands events
 * to the forwarder and subscription changes to the registry, and cleans up on close.
 */
@Injectable()
export class ConnectionsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ConnectionsService.name);
  private readonly rateLimited = new RateLimitedLogger(this.logger);
  private readonly peers = new Map<string, PeerConnection>();
  private readonly hubsById = new Map<string, PeerConnection>();
  private readonly countByIp = new Map<string, number>();
  private sequence = 0;
  private shuttingDown = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly forwarder: EventForwarder,
    private readonly counters: HubCounters,
  ) {}

  get all(): IterableIterator<PeerConnection> {
    return this.peers.values();
  }

  get count(): number {
    return this.peers.size;
  }

  /** How many peers are connected from one IP address. */
  countFrom(ip: string): number {
    return this.countByIp.get(ip) ?? 0;
  }

  /** The open link to another hub, by that hub's id. */
  hubLink(remoteHubId: string): PeerConnection | undefined {
    return this.hubsById.get(remoteHubId);
  }

  /** Takes over an open socket. Returns undefined when the socket was refused and closed. */
  accept(socket: WebSocket, kind: PeerKind, options: AcceptOptions): PeerConnection | undefined {
    if (this.shuttingDown) {
      socket.close(CloseCodes.goingAway, 'hub is shutting down');
      return undefined;
    }
    const id = `${kind}-${++this.sequence}`;
    const { remoteAddress, remoteIp, grants } = options;
    const peer = new PeerConnection(id, kind, socket, remoteAddress, remoteIp, grants);
    peer.remoteHubId = options.remoteHubId;
    peer.direction = options.direction;
    if (kind === 'hub' && !this.admitHubLink(peer)) return undefined;
    const { publishRate, publishBurst } = this.config.limits;
    if (publishRate > 0 && kind !== 'hub')
      peer.publishBucket = new TokenBucket(publishRate, publishBurst);

    this.peers.set(peer.id, peer);
    this.countByIp.set(remoteIp, this.countFrom(remoteIp) + 1);
    socket.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(peer, data, isBinary));
    socket.on('pong', () => (peer.missedPings = 0));
    socket.on('error', (error: Error & { code?: string }) => this.onSocketError(peer, error));
    socket.once('close', () => this.onClose(peer));

    this.registry.addPeer(peer);
    if (kind === 'repeater') this.forwarder.deliverBacklog(this.registry.repeaters, peer);
    if (kind === 'hub' && peer.remoteHubId) this.tellGroups(peer);
    this.logger.log(`${peer.id} connected from ${peer.remoteAddress}`);
    return peer;
  }

  /** Closes every peer with 1001 and waits (briefly) for them to go. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    const closed = [...this.peers.values()].map(
      (peer) =>
        new Promise<void>((resolve) => {
          if (peer.socket.readyState === WebSocket.CLOSED) return resolve();
          peer.socket.once('close', () => resolve());
          peer.socket.close(CloseCodes.goingAway, 'hub is shutting down');
        }),
    );
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => setTimeout(resolve, 1000).unref()),
    ]);
    for (const peer of this.peers.values()) peer.socket.terminate();
  }

  private onMessage(peer: PeerConnection, data: Buffer, isBinary: boolean): void {
    peer.missedPings = 0;
    // A messenger's text frame is a subscription change; one that is not JSON but reads
    // as an event frame is taken as an event (clients that cannot send binary do this).
    if (!isBinary && startsWithBrace(data)) {
      if (peer.kind === 'messenger') return this.onControlMessage(peer, data);
      if (peer.kind === 'hub') return this.onHubControlMessage(peer, data);
    }
    if (peer.publishBucket && !peer.publishBucket.take()) return this.overRate(peer);
    this.forwarder.forward(peer.kind, peer, data);
  }

  private overRate(peer: PeerConnection): void {
    this.counters.drop('rate-limited');
    peer.dropped++;
    if (this.config.limits.publishLimitPolicy === 'close') {
      peer.socket.close(CloseCodes.policyViolation, 'publish rate exceeded');
    } else {
      this.rateLimited.warn(
        `rate-${peer.id}`,
        `${peer.id} is over its publish rate; dropping its events`,
      );
    }
  }

  private onControlMessage(peer: PeerConnection, data: Buffer): void {
    let message: ControlMessage;
    try {
      message = parseControlMessage(data, this.config.frameLimits);
    } catch (error) {
      const invalid = error as ControlMessageError;
      this.counters.reject('invalid-subscription');
      peer.rejected++;
      this.rateLimited.warn('invalid-subscription', `${peer.id}: ${invalid.message}`);
      peer.sendText(JSON.stringify({ error: invalid.message, details: invalid.details ?? [] }));
      return;
    }
    if (message.type === 'ack') return this.forwarder.acknowledge(peer, message.ack);
    if (message.create) {
      const refusal = this.subscriptionRefusal(peer, message.rooms, message.group);
      if (refusal)
        return this.refuseSubscription(peer, refusal.reason, refusal.message, refusal.rooms);
      this.registry.subscribe(peer, message.rooms, message.group, message.durable);
      if (message.group !== undefined)
        this.forwarder.deliverBacklog(this.registry.group(message.group)!, peer);
    } else {
      this.registry.unsubscribe(peer, message.rooms, message.group);
    }
    if (message.group !== undefined) this.groupsChanged();
  }

  private subscriptionRefusal(
    peer: PeerConnection,
    rooms: string[],
    group: string | undefined,
  ): { reason: string; message: string; rooms: string[] } | undefined {
    const forbidden = peer.maySubscribe ? rooms.filter((room) => !peer.maySubscribe!(room)) : [];
    if (forbidden.length > 0) {
      return {
        reason: 'subscribe-forbidden',
        message: 'your token does not grant these rooms',
        rooms: forbidden,
      };
    }
    const held = new Set([...this.registry.roomsOf(peer), ...rooms]);
    for (const member of this.registry.groupsOfPeer(peer))
      for (const room of member.roomsOf(peer)) held.add(room);
    if (group === undefined && held.size > this.config.limits.maxRoomsPerPeer) {
      const message = `a connection may subscribe to at most ${this.config.limits.maxRoomsPerPeer} rooms`;
      return { reason: 'too-many-rooms', message, rooms: [] };
    }
    return undefined;
  }

  private refuseSubscription(
    peer: PeerConnection,
    reason: string,
    message: string,
    rooms: string[],
  ): void {
    this.counters.reject(reason);
    peer.rejected++;
    const details = rooms.map((room) => ({ field: 'rooms', errors: [`${room}: not granted`] }));
    peer.sendText(JSON.stringify({ error: message, details }));
  }

  private onSocketError(peer: PeerConnection, error: Error & { code?: string }): void {
    // ws closes the socket itself after a protocol error (1009 for a frame over the
    // size limit, 1007 for invalid UTF-8); we count and log it.
    const reason =
      error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
        ? 'frame-too-large'
        : error.code === 'WS_ERR_INVALID_UTF8'
          ? 'invalid-utf8'
          : 'socket-error';
    this.counters.reject(reason);
    this.rateLimited.warn(reason, `${peer.id}: ${error.message}`);
  }

  private onClose(peer: PeerConnection): void {
    this.peers.delete(peer.id);
    const fromIp = this.countFrom(peer.remoteIp) - 1;
    if (fromIp > 0) this.countByIp.set(peer.remoteIp, fromIp);
    else this.countByIp.delete(peer.remoteIp);
    if (peer.remoteHubId && this.hubsById.get(peer.remoteHubId) === peer) {
      this.hubsById.delete(peer.remoteHubId);
    }
    const hadGroups = this.registry.groupsOfPeer(peer).size > 0 && peer.kind !== 'hub';
    this.registry.removePeer(peer);
    this.forwarder.releaseUnacked(peer);
    if (hadGroups) this.groupsChanged();
    this.logger.log(`${peer.id} disconnected`);
  }

  /**
   * Between our hubs, text frames carry group bookkeeping: `{"groups": …}` says which
   * groups the other hub has members of; `{"deliver": [names]}` says the next event was
   * given to us for those groups.
   */
  private onHubControlMessage(peer: PeerConnection, data: Buffer): void {
    let message: { groups?: unknown; deliver?: unknown };
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      this.counters.reject('invalid-hub-message');
      return;
    }
    if (Array.isArray(message.deliver)) {
      peer.pendingGroups = new Set(
        message.deliver.filter((name): name is string => typeof name === 'string'),
      );
    } else if (isGroupAdvertisement(message.groups)) {
      this.registry.setRemoteGroups(peer, message.groups);
    } else {
      this.counters.reject('invalid-hub-message');
    }
  }

  private advertisementPending = false;

  /** Tells every linked hub of ours, once this tick is over, which groups we now have members of. */
  private groupsChanged(): void {
    if (this.advertisementPending) return;
    this.advertisementPending = true;
    setImmediate(() => {
      this.advertisementPending = false;
      for (const peer of this.peers.values())
        if (peer.kind === 'hub' && peer.remoteHubId) this.tellGroups(peer);
    });
  }

  private tellGroups(hub: PeerConnection): void {
    hub.sendText(JSON.stringify({ groups: this.registry.localGroups() }));
  }

  /**
   * Keeps one link per pair of hubs. When both hubs dial each other, both keep the link
   * dialed by the hub with the smaller id, so they agree without talking about it.
   */
  private admitHubLink(peer: PeerConnection): boolean {
    const remoteId = peer.remoteHubId;
    if (!remoteId) return true;
    const existing = this.hubsById.get(remoteId);
    if (existing && existing.isOpen) {
      const preferredDirection = this.config.hubId < remoteId ? 'out' : 'in';
      // The same direction twice means the dialer came back (say, after a restart): newest wins.
      const newWins =
        peer.direction === existing.direction || peer.direction === preferredDirection;
      const [keep, drop] = newWins ? [peer, existing] : [existing, peer];
      drop.socket.close(CloseCodes.duplicateHubLink, 'duplicate hub link');
      if (keep === existing) return false;
    }
    this.hubsById.set(remoteId, peer);
    return true;
  }
}

function isGroupAdvertisement(
  value: unknown,
): value is Record<string, { rooms: string[]; durable: boolean }> {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every(
    (group) =>
      typeof group === 'object' &&
      group !== null &&
      Array.isArray((group as { rooms: unknown }).rooms) &&
      (group as { rooms: unknown[] }).rooms.every((room) => typeof room === 'string'),
  );
}

function startsWithBrace(data: Buffer): boolean {
  for (let i = 0; i < data.length; i++) {
    const byte = data[i];
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === OPEN_BRACE;
  }
  return false;
}
