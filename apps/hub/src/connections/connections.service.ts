import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { CloseCodes, PeerKind } from '@ces/protocol';
import { PeerGrants, RateLimitedLogger } from '@ces/server-kit';
import { WebSocket } from 'ws';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConfirmsService } from '../confirms/confirms.service';
import { DurableDelivery } from '../durable/durable-delivery';
import { EventForwarder } from '../forwarding/event-forwarder.service';
import { LinkEvents } from '../interconnect/link-events';
import { LinkRegistry } from '../interconnect/link-registry';
import { TokenBucket } from '../limits/token-bucket';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { PeerSocket } from '../transport/peer-socket';
import { ControlMessagesService } from './control-messages.service';
import { PeerConnection, PeerIdentity } from './peer-connection';
import { ServiceRegistryService } from '../registry/service-registry.service';
import { KIND_BEHAVIOUR } from './peer-kinds';

export interface AcceptOptions {
  remoteAddress: string;
  remoteIp: string;
  grants?: PeerGrants;
  remoteHubId?: string;
  direction?: 'in' | 'out';
  name?: string;
  /** The registered service a messenger connects as an instance of (`?service=`). */
  service?: string;
}

const OPEN_BRACE = 0x7b;
/** setTimeout's longest delay; a token that expires later is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const DRAIN_POLL_MS = 20;
/** How long a link has to answer a ping when another socket claims its hub's id. */
const LINK_PROBE_MS = 2_000;

/**
 * Where every peer socket's frames come in once it is open: events go to the forwarder,
 * control messages to their owners. Owns the set of connected peers and their lifetime:
 * admission of links, token expiry, cleanup on close, the drain on shutdown.
 */
@Injectable()
export class ConnectionsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ConnectionsService.name);
  private readonly rateLimited = new RateLimitedLogger(this.logger);
  private readonly peers = new Map<string, PeerConnection>();
  private readonly countByIp = new Map<string, number>();
  private readonly expiryTimers = new Map<PeerConnection, NodeJS.Timeout>();
  private sequence = 0;
  private shuttingDown = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly links: LinkRegistry<PeerConnection>,
    private readonly forwarder: EventForwarder,
    private readonly control: ControlMessagesService,
    private readonly durable: DurableDelivery<PeerConnection>,
    private readonly counters: HubCounters,
    private readonly services: ServiceRegistryService,
    private readonly linkEvents: LinkEvents,
    private readonly confirms: ConfirmsService,
  ) {}

  get all(): IterableIterator<PeerConnection> {
    return this.peers.values();
  }

  byId(id: string): PeerConnection | undefined {
    return this.peers.get(id);
  }

  get count(): number {
    return this.peers.size;
  }

  /**
   * Closes a peer's connection at an operator's request (4000). It is not a ban: the client
   * may connect again. False when no peer has that id.
   */
  disconnect(id: string): boolean {
    const peer = this.peers.get(id);
    if (!peer) return false;
    this.counters.disconnect('operator');
    this.logger.log(`${this.describe(peer)}: disconnected by an operator`);
    peer.socket.close(CloseCodes.disconnectedByOperator, 'disconnected by an operator');
    return true;
  }

  /** How many peers are connected from one IP address. */
  countFrom(ip: string): number {
    return this.countByIp.get(ip) ?? 0;
  }

  /** Takes over an open socket. Returns undefined when the socket was refused and closed. */
  accept(ws: WebSocket, kind: PeerKind, options: AcceptOptions): PeerConnection | undefined {
    if (this.shuttingDown) {
      ws.close(CloseCodes.goingAway, 'hub is shutting down');
      return undefined;
    }
    const behaviour = KIND_BEHAVIOUR[kind];
    const budget =
      behaviour.budget === 'link'
        ? this.config.linkSendHighWaterBytes
        : this.config.sendHighWaterBytes;
    const socket = new PeerSocket(
      ws,
      { bytes: budget },
      {
        dialed: options.direction === 'out',
        onEventDropped: kind === 'hub' ? () => this.counters.linkDrop('slow-consumer') : undefined,
      },
    );
    const peer = new PeerConnection(this.identityOf(kind, options), socket, options.grants);
    if (kind === 'hub' && !this.admitLink(peer)) return undefined;
    const { publishRate, publishBurst } = this.config.limits;
    if (publishRate > 0 && behaviour.rateLimited)
      peer.publishBucket = new TokenBucket(publishRate, publishBurst);

    this.peers.set(peer.id, peer);
    this.counters.connectionOpened(kind);
    this.countByIp.set(peer.remoteIp, this.countFrom(peer.remoteIp) + 1);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(peer, data, isBinary));
    ws.on('pong', () => {
      peer.missedPings = 0;
      peer.lastPongAt = Date.now();
    });
    ws.on('error', (error: Error & { code?: string }) => this.onSocketError(peer, error));
    ws.once('close', (code: number) => this.onClose(peer, code));
    this.watchExpiry(peer);

    if (behaviour.joinsRepeaters) {
      this.registry.addRepeater(peer);
      this.durable.memberJoined(this.registry.repeaters, peer);
    }
    this.logger.log(`${this.describe(peer)} connected from ${peer.remoteAddress}`);
    if (kind === 'hub') this.linkEvents.opened(peer);
    if (options.service !== undefined && kind === 'messenger')
      this.services.join(peer, options.service);
    return peer;
  }

  /**
   * Another socket claims to be the hub this link leads to: it is refused, and this link
   * must prove it is alive by answering a ping within `LINK_PROBE_MS`, or it is cut off so
   * that the claimant (say, the same hub after a restart) gets in at its next attempt.
   */
  probeLink(peer: PeerConnection): void {
    const sentAt = Date.now();
    peer.socket.ping();
    setTimeout(() => {
      if (peer.lastPongAt < sentAt && peer.isOpen) {
        this.logger.warn(`${peer.id} did not answer a probe; dropping it`);
        peer.socket.terminate();
      }
    }, LINK_PROBE_MS).unref();
  }

  /**
   * Lets every peer read what is queued for it (up to the shutdown grace), then closes each
   * with 1001 and waits briefly for them to go.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    const deadline = Date.now() + this.config.shutdownGraceMs;
    while (
      Date.now() < deadline &&
      [...this.peers.values()].some((p) => p.socket.bufferedBytes > 0)
    )
      await delay(DRAIN_POLL_MS);
    const closed = [...this.peers.values()].map((peer) => {
      peer.socket.close(CloseCodes.goingAway, 'hub is shutting down');
      return peer.socket.closed();
    });
    await Promise.race([Promise.all(closed), delay(1000)]);
    for (const peer of this.peers.values()) peer.socket.terminate();
  }

  private identityOf(kind: PeerKind, options: AcceptOptions): PeerIdentity {
    return {
      id: `${kind}-${++this.sequence}`,
      kind,
      remoteAddress: options.remoteAddress,
      remoteIp: options.remoteIp,
      remoteHubId: options.remoteHubId,
      direction: options.direction,
      name: options.name,
    };
  }

  /** One link per pair of hubs: the registry decides; the loser's socket is closed here. */
  private admitLink(peer: PeerConnection): boolean {
    const { admitted, evicted } = this.links.admit(peer);
    if (evicted) evicted.socket.close(CloseCodes.duplicateHubLink, 'duplicate hub link');
    if (!admitted) {
      this.counters.reject('duplicate-link');
      peer.socket.close(CloseCodes.duplicateHubLink, 'duplicate hub link');
    }
    return admitted;
  }

  private onMessage(peer: PeerConnection, data: Buffer, isBinary: boolean): void {
    peer.missedPings = 0;
    peer.bytesIn += data.length;
    // A messenger's text frame is a subscription change; one that is not JSON but reads
    // as an event frame is taken as an event (clients that cannot send binary do this).
    if (!isBinary && startsWithBrace(data)) {
      const textFrames = KIND_BEHAVIOUR[peer.kind].textFrames;
      if (textFrames === 'subscriptions')
        return this.control.fromMessenger(peer, data, this.overRate);
      if (textFrames === 'link-messages') return this.control.fromHub(peer, data);
    }
    if (peer.kind === 'hub' && data.length > this.config.frameLimits.maxFrameBytes)
      return this.dropTooLarge(peer, data.length);
    if (peer.confirms) return this.confirms.event(peer, peer.confirms, data, this.overRate);
    if (peer.publishBucket && !peer.publishBucket.take()) return this.overRate(peer);
    this.forwarder.forward(peer.kind, peer, data);
  }

  /**
   * A link may bring a frame over the event limit (an original Go hub has none): no peer
   * of ours could have sent it, so it is dropped and counted, and the link stays up. What
   * the other hub asked us to deliver it to is used up with it, not given to the next event.
   */
  private dropTooLarge(peer: PeerConnection, bytes: number): void {
    this.links.takeAsked(peer);
    peer.droppedTooLarge++;
    this.counters.drop('link-frame-too-large');
    this.counters.linkDrop('too-large');
    this.rateLimited.warn(
      'link-frame-too-large',
      `${peer.id}: dropped a ${bytes}-byte frame, over HUB_MAX_FRAME_BYTES (${this.config.frameLimits.maxFrameBytes})`,
    );
  }

  private readonly overRate = (peer: PeerConnection): void => {
    this.counters.drop('rate-limited');
    if (this.config.limits.publishLimitPolicy === 'close') {
      peer.socket.close(CloseCodes.policyViolation, 'publish rate exceeded');
    } else {
      this.rateLimited.warn(
        `rate-${peer.id}`,
        `${peer.id} is over its publish rate; dropping its frames`,
      );
    }
  };

  /** A credential that expires closes its connection when it does (4401: reconnect with a new one). */
  private watchExpiry(peer: PeerConnection): void {
    if (peer.expiresAt === undefined) return;
    const left = peer.expiresAt - Date.now();
    if (left <= 0) return this.expire(peer);
    const timer = setTimeout(
      () => (Date.now() >= peer.expiresAt! ? this.expire(peer) : this.watchExpiry(peer)),
      Math.min(left, MAX_TIMER_MS),
    );
    timer.unref();
    this.expiryTimers.set(peer, timer);
  }

  private expire(peer: PeerConnection): void {
    this.counters.reject('token-expired');
    this.logger.log(`${peer.id}: its token expired; closing`);
    peer.socket.close(CloseCodes.tokenExpired, 'token expired');
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

  private onClose(peer: PeerConnection, code: number): void {
    if (!this.peers.delete(peer.id)) return;
    this.counters.connectionClosed(peer, code);
    clearTimeout(this.expiryTimers.get(peer));
    this.expiryTimers.delete(peer);
    const fromIp = this.countFrom(peer.remoteIp) - 1;
    if (fromIp > 0) this.countByIp.set(peer.remoteIp, fromIp);
    else this.countByIp.delete(peer.remoteIp);
    this.links.remove(peer);
    if (peer.kind === 'hub') this.linkEvents.closed(peer);
    this.services.left(peer);
    const hadGroups = peer.kind !== 'hub' && this.registry.groupsOfPeer(peer).size > 0;
    this.registry.removePeer(peer);
    this.durable.memberLeft(peer);
    if (hadGroups) this.links.groupsChanged();
    this.logger.log(`${this.describe(peer)} disconnected`);
  }

  private describe(peer: PeerConnection): string {
    return peer.name ? `${peer.id} (${peer.name})` : peer.id;
  }
}

function startsWithBrace(data: Buffer): boolean {
  for (let i = 0; i < data.length; i++) {
    const byte = data[i];
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === OPEN_BRACE;
  }
  return false;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
