import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type {
  ConnectionOptions,
  Msg,
  MsgHdrs,
  NatsConnection,
  PublishOptions,
  Subscription,
} from '@nats-io/nats-core';
import { WILDCARD_ROOM } from '@ces/protocol';
import { ClusterConfig, HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConnectionsService } from '../connections/connections.service';
import { PeerConnection } from '../connections/peer-connection';
import { EventForwarder } from '../forwarding/event-forwarder.service';
import { REPEATER_GROUP } from '../routing/consumer-group';
import { RoutablePeer } from '../routing/routable-peer';
import { EventSource } from '../routing/routing.service';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { Backbone, BackboneGate, StreamPut } from './backbone';
import { ORIGIN_HEADER, SENDER_HEADER, SOURCE_HEADER } from './cluster-headers';
import { ClusterInterest, ClusterSubscriptionKey } from './cluster-interest';
import { ClusterSourceKind, ClusterSubjects } from './cluster-subjects';
import { GroupDirectoryService } from './group-directory.service';
import { JetStreamGroups } from './jetstream-groups.service';
import { JetStreamHistory } from './jetstream-history.service';
import { natsClient } from './nats-client';
import { PublishBuffer } from './publish-buffer';

export type ClusterConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

/** A subscription and what its events are for. */
interface HeldSubscription extends ClusterSubscriptionKey {
  /** A consumer group's: the group and the room of it this subscription stands for. */
  readonly group?: string;
  readonly heldRoom?: string;
}

const SOURCE_NAMES: Record<ClusterSourceKind, string> = {
  m: 'messenger',
  r: 'repeater',
  h: 'hub',
};

/**
 * Cluster mode: the hub's backbone over NATS core. Events that enter this hub are published
 * once to their room's subject (the frame's bytes as received, origin and source in
 * headers); the hub subscribes only to the rooms its messengers hold (and to every room
 * only while one holds `*`), and to its groups' rooms in one queue group per group, so
 * NATS picks one hub per group and event. Two connections: the one that publishes and
 * holds the rooms has `noEcho` (the hub never gets its own events back); the groups' one
 * does not (the hub may be the one picked for its own event).
 *
 * While NATS is unreachable local routing goes on and events for the cluster wait in a
 * bounded buffer, published in order once the connection is back.
 */
@Injectable()
export class NatsBackbone implements Backbone, OnApplicationBootstrap, OnApplicationShutdown {
  readonly picksGroups = true;
  private readonly log = new Logger('Cluster');
  private readonly settings?: ClusterConfig;
  private readonly subjects: ClusterSubjects;
  private readonly interest: ClusterInterest;
  private readonly buffer: PublishBuffer<MsgHdrs>;
  private readonly subscriptions = new Map<string, Subscription>();
  /** One set of headers per source kind, made once (the client encodes them per publish). */
  private publishOptions?: Record<ClusterSourceKind, PublishOptions>;
  private events?: NatsConnection;
  private groups?: NatsConnection;
  private eventsState: ClusterConnectionState = 'connecting';
  private groupsState: ClusterConnectionState = 'connecting';
  /** Set once the server has the `*` subscription: from then on it, not the rooms', delivers. */
  private wildcardReady = false;
  /** The stream puts of the event published last, until a publish confirm takes them. */
  private lastPut?: StreamPut;
  private groupsDirty = false;
  private readonly roomsChanged = new Set<string>();
  /** Rooms held for this hub's own subscribers (one hold for all of them; links hold their own). */
  private readonly roomsOfSubscribers = new Set<string>();
  private closing = false;
  /** Pauses between first-connect attempts, ended at shutdown. */
  private readonly retries = new Map<() => void, NodeJS.Timeout>();

  published = 0;
  receivedForRooms = 0;
  receivedForGroups = 0;
  /** Events from the cluster for a group this hub no longer has, or an unreadable frame. */
  groupMisses = 0;
  publishErrors = 0;
  reconnects = 0;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly gate: BackboneGate,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly forwarder: EventForwarder,
    private readonly connections: ConnectionsService,
    private readonly jetStream: JetStreamGroups,
    private readonly directory: GroupDirectoryService,
    private readonly history: JetStreamHistory,
  ) {
    this.settings = config.cluster;
    this.subjects = new ClusterSubjects(this.settings?.subjectPrefix ?? 'ces');
    this.interest = new ClusterInterest({
      subscribe: (key) => this.subscribe(key),
      unsubscribe: (key) => this.unsubscribe(key),
    });
    this.buffer = new PublishBuffer(
      this.settings?.buffer.maxEvents ?? 0,
      this.settings?.buffer.maxBytes ?? 0,
    );
    if (!this.settings) return;
    this.publishOptions = {
      m: { headers: this.headersFor('m') },
      r: { headers: this.headersFor('r') },
      h: { headers: this.headersFor('h') },
    };
    // Installed at once: from the first event on, groups are the cluster's, and what the
    // cluster should get waits in the buffer until NATS is there.
    gate.backbone = this;
    registry.watchRoomInterest((room) => this.roomInterestChanged(room));
    registry.watchGroups(() => this.groupsChanged());
  }

  get enabled(): boolean {
    return this.settings !== undefined;
  }

  /** Connects in the background: the hub serves its own peers whether NATS is there or not. */
  onApplicationBootstrap(): void {
    const settings = this.settings;
    if (!settings) return;
    for (const room of this.registry.subscribedRooms) this.roomInterestChanged(room);
    this.groupsChanged();
    void this.open(settings, true).then((nc) => this.eventsOpened(nc));
    void this.open(settings, false).then((nc) => this.groupsOpened(nc));
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const [resolve, timer] of this.retries) {
      clearTimeout(timer);
      resolve();
    }
    this.directory.stop();
    await this.history.stop();
    await Promise.all([this.events, this.groups].map((nc) => nc && closeWithin(nc, 2_000)));
  }

  publish(
    source: EventSource,
    room: string,
    frame: Buffer,
    sender: RoutablePeer | undefined,
  ): void {
    const kind: ClusterSourceKind = source === 'repeater' ? 'r' : source === 'hub' ? 'h' : 'm';
    const subject = this.subjects.eventSubject(kind, room);
    // The common case reuses the kind's headers; only a sender that is in a group is named.
    const inGroup = sender && this.registry.groupsOfPeer(sender as PeerConnection).size > 0;
    const options = inGroup
      ? { headers: this.headersFor(kind, sender.id) }
      : this.publishOptions![kind];
    // Durable groups: into the stream from here, once per group (one lookup for other rooms).
    const durable = this.directory.targetsOf(room);
    this.lastPut =
      durable === undefined
        ? undefined
        : this.jetStream.putEntering(durable, frame, inGroup ? sender.id : undefined);
    if (this.eventsState !== 'connected' || this.buffer.size > 0) {
      this.buffer.push({ subject, frame, headers: options.headers! });
      return;
    }
    this.send(subject, frame, options);
  }

  /**
   * Resolves once a NATS server has everything published so far (the buffer sent, then a
   * round trip to the server), or the hub stops. A connection lost meanwhile: tried again
   * once it is back, as the buffer is sent again then.
   */
  async written(): Promise<void> {
    // Room history's events are in the cluster once its stream has taken them.
    await this.history.written();
    while (!this.closing) {
      if (this.eventsState === 'connected' && this.buffer.size === 0 && this.events) {
        try {
          return await this.events.flush();
        } catch {
          // disconnected during the round trip: wait for the connection and the buffer
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  takeStreamPut(): StreamPut | undefined {
    const put = this.lastPut;
    if (!put) return undefined;
    this.lastPut = undefined;
    put.claimed = true;
    return put;
  }

  /** What /status shows. */
  view() {
    if (!this.settings) return undefined;
    return {
      servers: this.settings.servers,
      state: this.eventsState,
      groupsState: this.groupsState,
      server: this.eventsState === 'connected' ? this.events?.getServer() : undefined,
      subscriptions: this.subscriptionCounts(),
      published: this.published,
      received: { rooms: this.receivedForRooms, groups: this.receivedForGroups },
      groupMisses: this.groupMisses,
      publishErrors: this.publishErrors,
      reconnects: this.reconnects,
      jetStream: this.jetStream.view(),
      directory: this.directory.view(),
      history: this.history.view(),
      buffer: {
        events: this.buffer.size,
        bytes: this.buffer.bytes,
        maxEvents: this.settings.buffer.maxEvents,
        maxBytes: this.settings.buffer.maxBytes,
        overflowed: this.buffer.overflowed,
      },
    };
  }

  get connected(): boolean {
    return this.eventsState === 'connected' && this.groupsState === 'connected';
  }

  get bufferOverflowed(): number {
    return this.buffer.overflowed;
  }

  get bufferedEvents(): number {
    return this.buffer.size;
  }

  get bufferedBytes(): number {
    return this.buffer.bytes;
  }

  subscriptionCounts(): { rooms: number; groups: number; everything: boolean } {
    let groups = 0;
    for (const key of this.interest.keys) if (key.queue !== undefined) groups++;
    return {
      rooms: this.interest.size - groups,
      groups,
      everything: this.interest.holds({ subject: this.subjects.allRooms }),
    };
  }

  private headersFor(kind: ClusterSourceKind, senderId?: string): MsgHdrs {
    const headers = natsClient().core.headers();
    headers.set(ORIGIN_HEADER, this.config.hubId);
    headers.set(SOURCE_HEADER, SOURCE_NAMES[kind]);
    if (senderId !== undefined) headers.set(SENDER_HEADER, senderId);
    return headers;
  }

  private send(subject: string, frame: Uint8Array, options: PublishOptions): boolean {
    try {
      this.events!.publish(subject, frame, options);
      this.published++;
      return true;
    } catch (error) {
      // Too large for the server's max_payload, or the connection is closing.
      this.publishErrors++;
      this.log.warn(`could not publish to ${subject}: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * Connects, trying again every half second until it can or the hub stops (the client's
   * own first-connect loop could not be stopped). Once connected, the client reconnects by
   * itself, to any of the servers.
   */
  private async open(
    settings: ClusterConfig,
    noEcho: boolean,
  ): Promise<NatsConnection | undefined> {
    const options: ConnectionOptions = {
      servers: settings.servers,
      name: `ces-hub ${this.config.hubId} ${noEcho ? 'events' : 'groups'}`,
      noEcho,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 5_000,
    };
    if (settings.token) options.token = settings.token;
    if (settings.user) options.user = settings.user;
    if (settings.password) options.pass = settings.password;
    if (settings.tlsCa) options.tls = { caFile: settings.tlsCa };
    else if (settings.servers.some((server) => server.startsWith('tls://'))) options.tls = {};
    for (let attempt = 0; !this.closing; attempt++) {
      try {
        return await natsClient().transport.connect(options);
      } catch (error) {
        if (attempt === 0)
          this.log.warn(`cannot reach NATS yet (${(error as Error).message}); trying again`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.retries.delete(resolve);
            resolve();
          }, 500);
          this.retries.set(resolve, timer);
        });
      }
    }
    return undefined;
  }

  private eventsOpened(nc: NatsConnection | undefined): void {
    if (!nc) return;
    if (this.closing) return void nc.close();
    this.events = nc;
    this.eventsState = 'connected';
    this.log.log(`connected to NATS at ${nc.getServer()}`);
    void this.watch(nc, (state) => {
      this.eventsState = state;
      if (state === 'connected') {
        this.reconnects++;
        this.confirmWildcard();
        this.drainBuffer();
      }
    });
    for (const key of this.interest.keys) if (key.queue === undefined) this.subscribe(key);
    this.drainBuffer();
  }

  private groupsOpened(nc: NatsConnection | undefined): void {
    if (!nc) return;
    if (this.closing) return void nc.close();
    this.groups = nc;
    this.groupsState = 'connected';
    this.jetStream.attach(nc);
    this.directory.attach(nc);
    this.history.attach(nc);
    void this.watch(nc, (state) => (this.groupsState = state));
    for (const key of this.interest.keys) if (key.queue !== undefined) this.subscribe(key);
  }

  private async watch(nc: NatsConnection, changed: (state: ClusterConnectionState) => void) {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        this.log.warn(`lost NATS at ${status.server}; events for the cluster wait in the buffer`);
        changed('disconnected');
      } else if (status.type === 'reconnect') {
        this.log.log(`reconnected to NATS at ${status.server}`);
        changed('connected');
      } else if (status.type === 'close') changed('closed');
    }
    changed('closed');
  }

  /** Publishes what waited, oldest first; what comes meanwhile queues behind it. */
  private drainBuffer(): void {
    while (this.eventsState === 'connected') {
      const event = this.buffer.shift();
      if (!event) return;
      this.send(event.subject, event.frame, { headers: event.headers });
    }
  }

  /**
   * A room gained its first local subscriber or lost its last: applied at the end of the
   * turn (a microtask), from what holds then, as the registry tells it mid-change.
   */
  private roomInterestChanged(room: string): void {
    if (this.roomsChanged.size === 0) queueMicrotask(() => this.applyRoomInterest());
    this.roomsChanged.add(room);
  }

  private applyRoomInterest(): void {
    for (const room of this.roomsChanged) {
      const wanted = this.registry.subscribersOf(room).size > 0;
      if (wanted && !this.roomsOfSubscribers.has(room)) {
        this.roomsOfSubscribers.add(room);
        this.holdRoom(room);
      } else if (!wanted && this.roomsOfSubscribers.delete(room)) this.releaseRoom(room);
    }
    this.roomsChanged.clear();
  }

  /**
   * Holds a room's subject (`*`: every room's), reference counted: once for this hub's
   * subscribers, once for each hub linked from outside the cluster that wants it.
   */
  holdRoom(room: string): void {
    this.interest.hold({ subject: this.subjects.roomFilter(room) });
  }

  releaseRoom(room: string): void {
    this.interest.release({ subject: this.subjects.roomFilter(room) });
  }

  /** Recomputed once per turn of the event loop, however many changes it had. */
  private groupsChanged(): void {
    if (this.groupsDirty) return;
    this.groupsDirty = true;
    queueMicrotask(() => {
      this.groupsDirty = false;
      this.interest.replaceGroups(this.groupKeys());
    });
  }

  /**
   * A queue subscription per room of each group that has a member here (repeaters: one);
   * durable groups have none: their events come from the stream.
   */
  private groupKeys(): HeldSubscription[] {
    const keys: HeldSubscription[] = [];
    for (const [name, { rooms }] of this.registry.localGroups()) {
      if (this.jetStream.keeps(this.registry.group(name))) continue;
      const queue = this.subjects.groupQueue(name);
      for (const room of rooms)
        keys.push({ subject: this.subjects.roomFilter(room), queue, group: name, heldRoom: room });
    }
    const repeaters = this.registry.repeaters;
    for (const member of repeaters.members) {
      if (member.kind === 'hub') continue;
      keys.push({
        subject: this.subjects.repeaterFilter,
        queue: this.subjects.repeaterQueue,
        group: REPEATER_GROUP,
        heldRoom: WILDCARD_ROOM,
      });
      break;
    }
    return keys;
  }

  private subscribe(key: HeldSubscription): void {
    const nc = key.queue === undefined ? this.events : this.groups;
    const id = idOf(key);
    if (!nc || nc.isClosed() || this.subscriptions.has(id)) return;
    const callback = this.callbackFor(key);
    this.subscriptions.set(
      id,
      nc.subscribe(key.subject, {
        queue: key.queue,
        callback: (error, msg) => {
          if (!error) callback(msg);
        },
      }),
    );
    if (key.queue === undefined && key.subject === this.subjects.allRooms) this.confirmWildcard();
  }

  private unsubscribe(key: HeldSubscription): void {
    const id = idOf(key);
    if (key.queue === undefined && key.subject === this.subjects.allRooms)
      this.wildcardReady = false;
    this.subscriptions.get(id)?.unsubscribe();
    this.subscriptions.delete(id);
  }

  /**
   * The rooms' subscriptions deliver until the server has the `*` one (a flush confirms it),
   * then it does: so a subscriber of a room and of `*` gets one copy. The switch is not
   * exact: an event whose two copies arrive on either side of it may come twice or not at
   * all to a room's subscribers, in a window of one round trip to the server.
   */
  private confirmWildcard(): void {
    const sub = this.subscriptions.get(this.subjects.allRooms);
    if (!sub || this.wildcardReady || this.eventsState !== 'connected') return;
    this.events!.flush().then(
      () => {
        if (this.subscriptions.get(this.subjects.allRooms) === sub) this.wildcardReady = true;
      },
      () => undefined, // disconnected meanwhile: tried again on reconnect
    );
  }

  private callbackFor(key: HeldSubscription): (msg: Msg) => void {
    if (key.group !== undefined) {
      const group = key.group;
      const heldRoom = key.heldRoom!;
      return (msg) => this.deliverToGroup(group, heldRoom, msg);
    }
    if (key.subject === this.subjects.allRooms)
      return (msg) => {
        if (this.wildcardReady) this.deliver(msg);
      };
    return (msg) => {
      if (!this.wildcardReady) this.deliver(msg);
    };
  }

  /**
   * An event of another hub, for this hub's subscribers: like one from a linked hub. One that
   * entered the cluster from a messenger or a repeater goes on to this hub's links too (hubs
   * outside the cluster: it entered their side here); one that came from a linked hub does
   * not, as in the mesh.
   */
  private deliver(msg: Msg): void {
    this.receivedForRooms++;
    this.forwarder.forward(
      'hub',
      undefined,
      frameOf(msg),
      this.subjects.enteredFromPeer(msg.subject),
    );
  }

  private deliverToGroup(group: string, heldRoom: string, msg: Msg): void {
    this.receivedForGroups++;
    const headers = msg.headers;
    const senderId =
      headers?.get(ORIGIN_HEADER) === this.config.hubId ? headers.get(SENDER_HEADER) : '';
    const sender = senderId ? this.connections.byId(senderId) : undefined;
    if (!this.forwarder.forwardToGroup(group, heldRoom, frameOf(msg), sender)) this.groupMisses++;
  }
}

/** The event's bytes as a Buffer over the client's own (a view, not a copy: it is not reused). */
function frameOf(msg: Msg): Buffer {
  const data = msg.data;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function idOf(key: ClusterSubscriptionKey): string {
  return key.queue === undefined ? key.subject : `${key.subject} ${key.queue}`;
}

/** Sends what is pending and closes; gives up waiting after `ms` (a server that is gone). */
async function closeWithin(nc: NatsConnection, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([nc.drain().catch(() => undefined), timeout]);
  clearTimeout(timer);
  if (!nc.isClosed()) await nc.close().catch(() => undefined);
}
