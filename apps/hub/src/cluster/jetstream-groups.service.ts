import { setTimeout as pause } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { MsgHdrs, NatsConnection } from '@nats-io/nats-core';
import type {
  Consumer,
  ConsumerConfig,
  JetStreamClient,
  JsMsg,
  StreamConfig,
} from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';
import { decodeRoom, WILDCARD_ROOM } from '@ces/protocol';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConnectionsService } from '../connections/connections.service';
import { PeerConnection } from '../connections/peer-connection';
import { DurableDelivery } from '../durable/durable-delivery';
import { Delivery } from '../forwarding/delivery';
import { EventForwarder } from '../forwarding/event-forwarder.service';
import { ConsumerGroup, REPEATER_GROUP } from '../routing/consumer-group';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import type { StreamPut } from './backbone';
import { DirectoryTarget } from './group-directory';
import { JetStreamAckBook } from './jetstream-ack-book';
import { JetStreamNames } from './jetstream-names';
import { natsClient } from './nats-client';
import { HELD_ROOM_HEADER, ORIGIN_HEADER, SENDER_HEADER } from './cluster-headers';
import { roomToToken, tokenToRoom } from './room-subjects';

/** Most messages one pull asks for; less when the members can take less. */
const MAX_BATCH = 128;
/** Messages one member that can take events is asked for per pull. */
const PER_MEMBER_BATCH = 32;
/** How long a pull waits for messages before it asks again. */
const PULL_EXPIRES_MS = 2_000;
/**
 * The server's heartbeats while a pull waits (the client's floor). Well under the expiry: the
 * client gives a pull up after two missed beats, and with beats at half the expiry (its
 * default) that can happen just as the server's own end of the pull arrives.
 */
const PULL_HEARTBEAT_MS = 500;
/** A message no member could take now comes back after this. */
const RETRY_DELAY_MS = 100;
/** Pause before a failed JetStream call is tried again (a server failing over, a leader elected). */
const RETRY_PAUSE_MS = 250;
/** How long a publish is tried again (same msg id: the stream keeps one copy) before giving up. */
const PUBLISH_GIVE_UP_MS = 30_000;
/** Pause of a puller whose members can take nothing now. */
const IDLE_PAUSE_MS = 20;

/**
 * Cluster mode's durable groups in JetStream. The hub an event enters puts it in one
 * file-stored, replicated stream, on the subject of each durable group the cluster's
 * directory says wants it, once (the msg id dedupes a publish tried again after a
 * reconnect), and a publish confirm waits for JetStream's acknowledgements. Every hub with
 * local members of the group pulls from the group's durable consumer only as much as those
 * members can take, hands each message to one member and acknowledges it to JetStream when
 * the member's `{"ack": N}` covers it; what a member that leaves had not acknowledged goes
 * back at once, what is not acknowledged in time JetStream gives again (to any hub).
 */
@Injectable()
export class JetStreamGroups implements OnApplicationShutdown {
  private readonly log = new Logger('JetStream');
  private readonly names: JetStreamNames;
  private readonly book = new JetStreamAckBook<PeerConnection, GivenMessage>();
  /**
   * Messages of a group whose last local member left, given back only once the group's
   * puller has stopped: given back sooner, they would come to its last pull, in the wrong
   * order and for no member.
   */
  private readonly toGiveBack = new Map<string, JsMsg[]>();
  private readonly consumersReady = new Map<string, Promise<void>>();
  private readonly pullers = new Set<string>();
  private js?: JetStreamClient;
  private nc?: NatsConnection;
  private streamReady?: Promise<void>;
  private closing = false;
  private sequence = 0;
  /** Tells this run's msg ids from the last one's: the sequence starts again at a restart. */
  private readonly run = randomUUID().slice(0, 8);
  private readonly maxInFlight: number;

  published = 0;
  publishing = 0;
  publishRetries = 0;
  /** Events the stream did not take in time or room: kept by this hub's store instead. */
  keptLocally = 0;
  /** Of those, for a group this hub does not have: lost. */
  lost = 0;
  /** Events a publish confirm refused as the stream did not take them. */
  refused = 0;
  duplicates = 0;
  delivered = 0;
  acknowledged = 0;
  givenBack = 0;
  unreadable = 0;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly delivery: Delivery,
    private readonly durable: DurableDelivery<PeerConnection>,
    private readonly forwarder: EventForwarder,
    private readonly connections: ConnectionsService,
    private readonly counters: HubCounters,
  ) {
    this.names = new JetStreamNames(config.cluster?.subjectPrefix ?? 'ces');
    this.maxInFlight = Math.max(1, config.cluster?.buffer.maxEvents ?? 1);
    if (!config.cluster) return;
    durable.watchMembers({
      acknowledged: (member, count) => this.acknowledge(member, count),
      left: (member) => this.giveBack(member),
    });
    registry.watchGroups(() => queueMicrotask(() => this.startPullers()));
  }

  get enabled(): boolean {
    return this.config.cluster !== undefined;
  }

  /** A group no hub has members of is kept this long (as a hub keeps it), then one ack wait. */
  get inactiveThresholdMs(): number {
    return this.config.durable.groupTtlMs + this.config.durable.ackTimeoutMs;
  }

  /** Cluster mode hands over its groups' connection once it is open. */
  attach(nc: NatsConnection): void {
    this.nc = nc;
    this.js = natsClient().jetstream.jetstream(nc, { timeout: 5_000 });
    this.startPullers();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
  }

  /** Whether this group's events go to JetStream (a durable group, not the repeaters'). */
  keeps(group: ConsumerGroup<PeerConnection> | undefined): boolean {
    return this.enabled && group !== undefined && group.durable && group.name !== REPEATER_GROUP;
  }

  /**
   * An event that entered this hub, into the stream once per durable group that wants it
   * (msg id: this hub, its run, its sequence and the group, so a publish tried again is kept
   * once). The returned put settles true once JetStream acknowledged every one of them,
   * false when one was not taken in time or room: that group's copy is then kept by this
   * hub's store, as outside cluster mode, unless the put was claimed (a publish confirm
   * refuses the event instead).
   */
  putEntering(
    targets: readonly DirectoryTarget[],
    frame: Buffer,
    senderId: string | undefined,
  ): StreamPut {
    const put: StreamPut = { claimed: false, taken: Promise.resolve(true) };
    const sequence = ++this.sequence;
    const outcomes = targets.map((target) => this.putOne(target, frame, senderId, sequence, put));
    put.taken =
      outcomes.length === 1
        ? outcomes[0]
        : Promise.all(outcomes).then((taken) => taken.every(Boolean));
    return put;
  }

  private putOne(
    { group, heldRoom }: DirectoryTarget,
    frame: Buffer,
    senderId: string | undefined,
    sequence: number,
    put: StreamPut,
  ): Promise<boolean> {
    // Decided after this turn, once a confirm had the chance to claim the put.
    const notTaken = () => this.notTaken(group, heldRoom, frame, senderId, put);
    if (this.publishing >= this.maxInFlight || !this.js) return Promise.resolve().then(notTaken);
    const headers = natsClient().core.headers();
    headers.set(ORIGIN_HEADER, this.config.hubId);
    if (senderId) headers.set(SENDER_HEADER, senderId);
    headers.set(HELD_ROOM_HEADER, roomToToken(heldRoom));
    const msgID = `${this.config.hubId}:${this.run}:${sequence}:${group}`;
    this.publishing++;
    return this.publish(group, frame, headers, msgID).then(
      (duplicate) => {
        this.publishing--;
        this.published++;
        if (duplicate) this.duplicates++;
        return true;
      },
      () => {
        this.publishing--;
        return notTaken();
      },
    );
  }

  /** What /status shows. */
  view() {
    if (!this.enabled) return undefined;
    return {
      stream: this.names.stream,
      replicas: this.config.cluster!.stream.replicas,
      published: this.published,
      publishing: this.publishing,
      publishRetries: this.publishRetries,
      duplicates: this.duplicates,
      keptLocally: this.keptLocally,
      lost: this.lost,
      refused: this.refused,
      delivered: this.delivered,
      acknowledged: this.acknowledged,
      givenBack: this.givenBack,
      unacknowledged: this.book.pending,
      pulling: [...this.pullers],
    };
  }

  private async publish(
    group: string,
    frame: Buffer,
    headers: MsgHdrs,
    msgID: string,
  ): Promise<boolean> {
    const giveUpAt = Date.now() + PUBLISH_GIVE_UP_MS;
    await this.streamReadied();
    for (;;) {
      try {
        const ack = await this.js!.publish(this.names.groupSubject(group), frame, {
          msgID,
          headers,
        });
        return ack.duplicate;
      } catch (error) {
        if (this.closing || Date.now() > giveUpAt) throw error;
        this.publishRetries++;
        await pause(RETRY_PAUSE_MS);
      }
    }
  }

  /** The stream did not take a group's copy: refused by a confirm, or kept by this hub's store. */
  private notTaken(
    group: string,
    heldRoom: string,
    frame: Buffer,
    senderId: string | undefined,
    put: StreamPut,
  ): false {
    if (put.claimed) {
      this.refused++;
      return false;
    }
    this.keptLocally++;
    const sender = senderId ? this.connections.byId(senderId) : undefined;
    // A hub without the group (its members are all elsewhere) has nowhere to keep it.
    if (!this.forwarder.forwardToGroup(group, heldRoom, frame, sender)) this.lost++;
    return false;
  }

  /**
   * The stream exists with today's settings: made or updated when a durable group first needs
   * it (a cluster without durable groups has none).
   */
  private streamReadied(): Promise<void> {
    this.streamReady ??= this.retrying('create the stream', () => this.ensureStream(this.nc!));
    return this.streamReady;
  }

  private async ensureStream(nc: NatsConnection): Promise<void> {
    const settings = this.config.cluster!;
    const { jetstreamManager, StorageType, RetentionPolicy, DiscardPolicy } =
      natsClient().jetstream;
    const { nanos } = natsClient().core;
    const jsm = await jetstreamManager(nc, { timeout: 5_000 });
    const config: Partial<StreamConfig> & { name: string } = {
      name: this.names.stream,
      subjects: [this.names.streamSubjects],
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      num_replicas: settings.stream.replicas,
      max_age: nanos(this.config.durable.maxAgeMs),
      max_bytes: settings.stream.maxBytes,
      max_msgs_per_subject: this.config.durable.maxEvents,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(Math.min(120_000, this.config.durable.maxAgeMs)),
    };
    try {
      await jsm.streams.info(this.names.stream);
      await jsm.streams.update(this.names.stream, config);
    } catch {
      await jsm.streams.add(config);
    }
    this.log.log(
      `durable groups in JetStream stream ${this.names.stream} (${settings.stream.replicas} replicas)`,
    );
  }

  /** The group's durable consumer exists with today's settings (created or updated once). */
  private consumerReady(group: string): Promise<void> {
    let ready = this.consumersReady.get(group);
    if (!ready) {
      ready = this.ensureConsumer(group);
      this.consumersReady.set(group, ready);
      ready.catch(() => this.consumersReady.delete(group));
    }
    return ready;
  }

  private async ensureConsumer(group: string): Promise<void> {
    await this.streamReadied();
    const { jetstreamManager, AckPolicy, DeliverPolicy } = natsClient().jetstream;
    const { nanos } = natsClient().core;
    const jsm = await jetstreamManager(this.nc!, { timeout: 5_000 });
    const config: Partial<ConsumerConfig> = {
      durable_name: this.names.consumerName(group),
      filter_subject: this.names.groupSubject(group),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.config.durable.ackTimeoutMs),
      // The embedded store gives an event again until it is acknowledged or too old: so here.
      max_deliver: -1,
      max_ack_pending: Math.min(this.config.durable.maxEvents, 10_000),
      // Pulled only by hubs with members: one nobody pulled from for as long as a group is
      // kept without members is gone; its events stay in the stream for a consumer made again.
      inactive_threshold: nanos(this.inactiveThresholdMs),
    };
    try {
      await jsm.consumers.add(this.names.stream, config);
    } catch {
      await jsm.consumers.update(this.names.stream, config.durable_name!, {
        ack_wait: config.ack_wait,
        max_deliver: config.max_deliver,
        max_ack_pending: config.max_ack_pending,
        inactive_threshold: config.inactive_threshold,
      });
    }
  }

  /** Every durable group with a local member has a puller while it has one. */
  private startPullers(): void {
    if (!this.js || this.closing) return;
    for (const group of this.registry.groups)
      if (this.keeps(group) && this.hasLocalMembers(group) && !this.pullers.has(group.name)) {
        this.pullers.add(group.name);
        void this.pull(group.name).finally(() => {
          this.pullers.delete(group.name);
          this.giveBackDeferred(group.name);
          // A member may have come back while the puller was stopping.
          if (this.hasLocalMembers(this.registry.group(group.name))) this.startPullers();
        });
      }
  }

  private hasLocalMembers(group: ConsumerGroup<PeerConnection> | undefined): boolean {
    if (!group) return false;
    for (const member of group.members) if (member.kind !== 'hub') return true;
    return false;
  }

  private async pull(name: string): Promise<void> {
    let consumer: Consumer | undefined;
    while (!this.closing && this.hasLocalMembers(this.registry.group(name))) {
      const budget = this.budgetOf(this.registry.group(name)!);
      if (budget === 0) {
        await pause(IDLE_PAUSE_MS);
        continue;
      }
      try {
        if (!consumer) {
          await this.consumerReady(name);
          consumer = await this.js!.consumers.get(this.names.stream, this.names.consumerName(name));
        }
        const messages = await consumer.fetch({
          max_messages: budget,
          expires: PULL_EXPIRES_MS,
          idle_heartbeat: PULL_HEARTBEAT_MS,
        });
        for await (const message of messages) this.hand(name, message);
        // That pull is over: what it took while no member was here goes back now, also when a
        // member is back and the puller goes on (else it would wait for the ack wait).
        this.giveBackDeferred(name);
      } catch (error) {
        if (this.closing) return;
        this.log.debug(`pulling for ${name}: ${(error as Error).message}`);
        consumer = undefined;
        // JetStream may have removed it (inactive): made again before the next pull.
        this.consumersReady.delete(name);
        await pause(RETRY_PAUSE_MS);
      }
    }
  }

  /** As many messages as the group's local members can take now, bounded. */
  private budgetOf(group: ConsumerGroup<PeerConnection>): number {
    let budget = 0;
    for (const member of group.members)
      if (member.kind !== 'hub' && member.canTake) budget += PER_MEMBER_BATCH;
    return Math.min(budget, MAX_BATCH);
  }

  /** One message to one local member, never its sender; back to JetStream when none can take it. */
  private hand(name: string, message: JsMsg): void {
    const group = this.registry.group(name);
    const frame = Buffer.from(
      message.data.buffer,
      message.data.byteOffset,
      message.data.byteLength,
    );
    let room: string;
    try {
      room = decodeRoom(frame, this.config.frameLimits).room;
    } catch {
      this.unreadable++;
      return message.term();
    }
    const heldRoom = tokenToRoom(message.headers?.get(HELD_ROOM_HEADER) ?? '') ?? room;
    if (!this.hasLocalMembers(group)) return this.deferGiveBack(name, message);
    const headers = message.headers;
    const senderId =
      headers?.get(ORIGIN_HEADER) === this.config.hubId ? headers.get(SENDER_HEADER) : '';
    const sender = senderId ? this.connections.byId(senderId) : undefined;
    // A group holding the room on one hub and `*` on another: either serves the event.
    const member =
      group!.pick(heldRoom, sender, true, room) ??
      (heldRoom === WILDCARD_ROOM ? undefined : group!.pick(WILDCARD_ROOM, sender, true, room));
    if (!member) {
      // A group whose only member sent the event does not keep it for that member.
      if (
        sender &&
        !group!.hasMemberFor(heldRoom, sender) &&
        group!.isMemberFor(sender, heldRoom)
      ) {
        this.counters.drop('group-sender-only');
        return message.ack();
      }
      return message.nak(RETRY_DELAY_MS);
    }
    if (!this.delivery.toGroupMember(name, member, frame)) return message.nak(RETRY_DELAY_MS);
    this.delivered++;
    if (message.info.redelivered) this.counters.durable('redelivered');
    this.book.delivered(member, member.eventsOut, { group: name, message });
  }

  private acknowledge(member: PeerConnection, count: number): void {
    const acked = this.book.acknowledge(member, count);
    for (const { message } of acked) message.ack();
    this.acknowledged += acked.length;
  }

  /** A member left: what it had not acknowledged goes to the next member now. */
  private giveBack(member: PeerConnection): void {
    for (const { group, message } of this.book.left(member)) {
      if (this.pullers.has(group) && !this.hasLocalMembers(this.registry.group(group)))
        this.deferGiveBack(group, message);
      else this.giveBackNow(message);
    }
  }

  private deferGiveBack(group: string, message: JsMsg): void {
    let waiting = this.toGiveBack.get(group);
    if (!waiting) this.toGiveBack.set(group, (waiting = []));
    waiting.push(message);
  }

  private giveBackDeferred(group: string): void {
    const waiting = this.toGiveBack.get(group);
    this.toGiveBack.delete(group);
    // Oldest first: the stream gives them again in this order.
    waiting?.sort((x, y) => x.seq - y.seq).forEach((message) => this.giveBackNow(message));
  }

  private giveBackNow(message: JsMsg): void {
    message.nak();
    this.givenBack++;
  }

  /** Tries `work` until it succeeds or the hub stops. */
  private async retrying(what: string, work: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.closing; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt === 0) this.log.warn(`cannot ${what} yet (${(error as Error).message})`);
        await pause(RETRY_PAUSE_MS);
      }
    }
  }
}

/** A message given to a member, and the group it was given for. */
interface GivenMessage {
  group: string;
  message: JsMsg;
}
