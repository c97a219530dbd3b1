import { setTimeout as pause } from 'node:timers/promises';
import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { MsgHdrs, NatsConnection } from '@nats-io/nats-core';
import type {
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  StreamConfig,
} from '@nats-io/jetstream';
import { RecoveryRefusal, RoomPosition, WILDCARD_ROOM } from '@ces/protocol';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { Delivery } from '../forwarding/delivery';
import { PositionedEvent } from '../history/positioned-event';
import { planRecovery } from '../history/recovery-plan';
import { refuseRecovery, replayRoom, ResumingPeer } from '../history/recovery-replay';
import { StreamHistoryReplica } from '../history/stream-history-replica';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { PeerList } from '../routing/peer-list';
import { HubCounters } from '../status/hub-counters';
import { ORIGIN_HEADER, SENDER_HEADER } from './cluster-headers';
import { natsClient } from './nats-client';
import { roomToToken, tokenToRoom } from './room-subjects';

/** How long a resume waits for this hub's copy to reach the client's position. */
const RESUME_WAIT_MS = 5_000;
/** How often the stream's identity is checked (a stream deleted and made again: a new epoch). */
const IDENTITY_CHECK_MS = 2_000;
/** How old a stream must be for its creation time to be taken as its identity. */
const CREATION_SETTLE_MS = 3_000;
/** Pause before a failed JetStream call is tried again. */
const RETRY_PAUSE_MS = 250;

/** A resume that waits for this hub's copy of the stream to reach the client's position. */
interface WaitingResume {
  peer: PeerConnection;
  room: string;
  asked: RoomPosition;
  until: number;
}

/**
 * Cluster mode's room history: one JetStream stream for the whole cluster, `<PREFIX>_HISTORY`,
 * subject `<prefix>.hist.<room token>`, each room's last `HUB_HISTORY_SIZE` events for
 * `HUB_HISTORY_TTL_MS`. The hub an event of a history room enters puts it there once (msg id:
 * the hub, its run and a sequence, so a publish tried again is kept once), the frame's bytes
 * untouched. The epoch is the stream's identity (its name and creation time: the same on
 * every hub, new when the stream is made again); an event's offset is its stream sequence.
 *
 * Every hub reads the stream from its start with one ordered consumer into a bounded copy in
 * memory (the stream is the durable one, so a restarted hub reads it again), and gives each
 * event, positioned, to its local subscribers that asked for positions: they get history
 * rooms' events from here only, so each has its offset, and a resume — answered from the
 * copy in the turn the subscription is made — ends exactly where these live events begin.
 */
@Injectable()
export class JetStreamHistory implements OnApplicationShutdown {
  private readonly log = new Logger('JetStreamHistory');
  private readonly stream: string;
  private readonly subjectPrefix: string;
  private readonly replica: StreamHistoryReplica;
  /** One per run: a restarted hub's msg ids never meet its previous run's in the dedup window. */
  private readonly run = randomBytes(4).toString('hex');
  private sequence = 0;
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private jsm?: JetStreamManager;
  /** Resolves once the stream's identity is known (or the hub stops): publishes wait for it. */
  private readonly identityKnown: Promise<void>;
  private identityLearnt!: () => void;
  private checking = false;
  /** The stream's creation time as its info tells it, and the epoch made of it. */
  private created = '';
  private epochValue = '';
  private messages?: ConsumerMessages;
  /** Every consumer made and not yet closed: two reads of the stream can overlap while one is made. */
  private readonly reading = new Set<ConsumerMessages>();
  /** Counts reads of the stream: only the latest keeps its consumer. */
  private follows = 0;
  /** The creation time of the stream the consumer reads (empty: none). */
  private followed = '';
  private timers: NodeJS.Timeout[] = [];
  private waiting: WaitingResume[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Reused for every event (see PeerList). */
  private readonly recipients = new PeerList<PeerConnection>();
  private closing = false;
  private readonly maxInFlight: number;
  private readonly maxInFlightBytes: number;
  private inFlightBytes = 0;

  published = 0;
  duplicates = 0;
  publishRetries = 0;
  /** Events not put in the stream: more than the bounds on their way, or the hub stopping. */
  dropped = 0;
  read = 0;
  delivered = 0;
  unreadable = 0;
  epochChanges = 0;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly delivery: Delivery,
    private readonly counters: HubCounters,
  ) {
    const prefix = config.cluster?.subjectPrefix ?? 'ces';
    this.stream = `${prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_HISTORY`;
    this.subjectPrefix = `${prefix}.hist.`;
    this.replica = new StreamHistoryReplica(config.history.size);
    // What waits for the stream is bounded as the cluster's publish buffer is.
    this.maxInFlight = Math.max(1, config.cluster?.buffer.maxEvents ?? 1);
    this.maxInFlightBytes = Math.max(1, config.cluster?.buffer.maxBytes ?? 1);
    this.identityKnown = new Promise((resolve) => (this.identityLearnt = resolve));
  }

  /** Cluster mode with history rooms: the history is the cluster's stream. */
  get enabled(): boolean {
    return this.config.cluster !== undefined && this.config.history.rooms.length > 0;
  }

  /** Cluster mode hands over a connection once it is open (the client reconnects by itself). */
  attach(nc: NatsConnection): void {
    if (!this.enabled || this.closing) return;
    this.nc = nc;
    this.js = natsClient().jetstream.jetstream(nc, { timeout: 5_000 });
    void this.start();
    this.every(250, () => this.resumeWaiting(Date.now()));
    const { ttlMs } = this.config.history;
    this.every(Math.min(ttlMs, 60_000), () => this.replica.sweep(Date.now() - ttlMs));
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /**
   * Stops reading the stream; the backbone calls it before it closes the connection, as a
   * consumer still open then would try to reset itself on a closed connection.
   */
  async stop(): Promise<void> {
    this.closing = true;
    this.identityLearnt();
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.reading].map((messages) => this.stopReading(messages)));
  }

  /**
   * An event of a history room that entered this hub: into the stream, once, tried again
   * (the same msg id) until the stream has it or the hub stops. Never blocks.
   */
  publish(room: string, frame: Buffer, senderId: string | undefined): void {
    const full =
      this.inFlight.size >= this.maxInFlight ||
      this.inFlightBytes + frame.length > this.maxInFlightBytes;
    if (full || this.closing) {
      this.dropped++;
      this.counters.drop('history-stream');
      return;
    }
    const headers = natsClient().core.headers();
    headers.set(ORIGIN_HEADER, this.config.hubId);
    if (senderId) headers.set(SENDER_HEADER, senderId);
    const msgID = `${this.config.hubId}:${this.run}:${++this.sequence}`;
    const subject = this.subjectPrefix + roomToToken(room);
    const done = this.publishOnce(subject, frame, headers, msgID).then(
      (duplicate) => {
        this.published++;
        if (duplicate) this.duplicates++;
      },
      (error: Error) => {
        this.dropped++;
        this.counters.drop('history-stream');
        this.log.warn(`an event of ${room} was not put in the history: ${error.message}`);
      },
    );
    this.inFlight.add(done);
    this.inFlightBytes += frame.length;
    void done.finally(() => {
      this.inFlight.delete(done);
      this.inFlightBytes -= frame.length;
    });
  }

  /** Resolves once the stream has taken (or given up on) every event published so far. */
  async written(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /**
   * Resumes `room` for `peer` from `asked`, in this turn when the copy can tell; otherwise
   * (the copy not read up to the client's position yet) once it can, the room's live events
   * held back from the peer until then, or after `RESUME_WAIT_MS` with what it has.
   */
  recover(peer: PeerConnection, room: string, asked: RoomPosition, historyRoom: boolean): void {
    const refusal = this.refusalBeforeReading(peer, room, asked, historyRoom);
    if (refusal) return this.refuse(peer, room, refusal);
    if (!this.canTell(asked)) {
      this.waiting.push({ peer, room, asked, until: Date.now() + RESUME_WAIT_MS });
      return;
    }
    this.recoverNow(peer, room, asked);
  }

  refuse(peer: ResumingPeer, room: string, reason: RecoveryRefusal): void {
    // Before the stream's identity is known, the client's own position is told back.
    const position = this.epochValue
      ? { epoch: this.epochValue, latest: this.replica.latest(room) }
      : { epoch: '', latest: 0 };
    refuseRecovery(peer, this.counters, room, reason, position);
  }

  /** What /status shows. */
  view() {
    if (!this.enabled) return undefined;
    return {
      stream: this.stream,
      epoch: this.epochValue,
      streamCreated: this.created,
      ready: this.replica.ready,
      lastSequence: this.replica.last,
      published: this.published,
      publishing: this.inFlight.size,
      publishingBytes: this.inFlightBytes,
      publishRetries: this.publishRetries,
      duplicates: this.duplicates,
      dropped: this.dropped,
      read: this.read,
      delivered: this.delivered,
      unreadable: this.unreadable,
      epochChanges: this.epochChanges,
      waitingResumes: this.waiting.length,
    };
  }

  /** Refusals that need nothing of the copy: the token, the room, the epoch once it is known. */
  private refusalBeforeReading(
    peer: PeerConnection,
    room: string,
    asked: RoomPosition,
    historyRoom: boolean,
  ): RecoveryRefusal | undefined {
    if (!peer.mayGet(room)) return 'forbidden';
    if (!historyRoom) return 'not-a-history-room';
    if (this.epochValue && asked.epoch !== this.epochValue) return 'epoch-changed';
    return undefined;
  }

  /** The copy has caught up with the stream once, and has read up to the client's position. */
  private canTell(asked: RoomPosition): boolean {
    return this.epochValue !== '' && this.replica.ready && asked.offset <= this.replica.last;
  }

  private recoverNow(peer: PeerConnection, room: string, asked: RoomPosition): void {
    const notBefore = Date.now() - this.config.history.ttlMs;
    const epoch = this.epochValue;
    const latest = this.replica.latest(room);
    if (!epoch) return this.refuseUnknown(peer, room, asked);
    if (asked.epoch !== epoch) return this.refuse(peer, room, 'epoch-changed');
    if (!this.replica.covers(room, asked.offset, notBefore)) return this.refuse(peer, room, 'gap');
    const missed = this.replica.read(room, asked.offset, notBefore);
    const plan = planRecovery({
      asked,
      epoch,
      latest,
      historyRoom: true,
      granted: peer.mayGet(room),
      maxRecovery: this.config.history.maxRecovery,
      missed: missed.length,
    });
    if (!plan.replay) return this.refuse(peer, room, plan.reason);
    const events = missed.map((entry) => ({ frame: entry.frame, offset: entry.seq }));
    replayRoom(peer, this.counters, room, { epoch, latest }, events);
  }

  /** The stream could not be read in time: nothing is replayed, the client keeps its position. */
  private refuseUnknown(peer: PeerConnection, room: string, asked: RoomPosition): void {
    const position = { epoch: asked.epoch, latest: asked.offset };
    refuseRecovery(peer, this.counters, room, 'gap', position);
  }

  /** Resumes that can now be told; those waiting too long are answered with what is known. */
  private resumeWaiting(now = 0): void {
    if (this.waiting.length === 0) return;
    const still: WaitingResume[] = [];
    for (const wait of this.waiting) {
      if (!wait.peer.isOpen || !this.registry.subscribersOf(wait.room).has(wait.peer)) continue;
      if (this.canTell(wait.asked)) this.recoverNow(wait.peer, wait.room, wait.asked);
      else if (now !== 0 && now >= wait.until) this.recoverNow(wait.peer, wait.room, wait.asked);
      else still.push(wait);
    }
    this.waiting = still;
  }

  private isWaiting(peer: PeerConnection, room: string): boolean {
    for (const wait of this.waiting) if (wait.peer === peer && wait.room === room) return true;
    return false;
  }

  /** Makes or updates the stream, learns its identity, reads it, and checks it stays the same. */
  private async start(): Promise<void> {
    await this.retrying('open the history stream', () => this.ensureStream());
    if (this.closing) return;
    await this.follow();
    this.every(IDENTITY_CHECK_MS, () => void this.checkIdentity());
  }

  private every(ms: number, work: () => void): void {
    const timer = setInterval(work, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async ensureStream(): Promise<void> {
    const settings = this.config.cluster!;
    const { size, ttlMs } = this.config.history;
    const { jetstreamManager, StorageType, RetentionPolicy, DiscardPolicy } =
      natsClient().jetstream;
    const { nanos } = natsClient().core;
    this.jsm ??= await jetstreamManager(this.nc!, { timeout: 5_000 });
    const config: Partial<StreamConfig> & { name: string } = {
      name: this.stream,
      subjects: [`${this.subjectPrefix}>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      num_replicas: settings.stream.replicas,
      max_age: nanos(ttlMs),
      max_bytes: settings.stream.maxBytes,
      max_msgs_per_subject: size,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(Math.min(120_000, ttlMs)),
    };
    const existing = await this.jsm.streams.info(this.stream).catch((error: Error) => {
      if (/stream not found/i.test(error.message)) return undefined;
      throw error;
    });
    if (!existing) await this.jsm.streams.add(config);
    else {
      // A setting the server will not change (storage, say) leaves the stream as it is.
      await this.jsm.streams
        .update(this.stream, config)
        .catch((error: Error) =>
          this.log.warn(`the history stream keeps its settings: ${error.message}`),
        );
    }
    this.learnIdentity(await this.settledCreation(existing?.created));
    this.log.log(
      `room history in JetStream stream ${this.stream} (${settings.stream.replicas} replicas), epoch ${this.epochValue}`,
    );
  }

  /**
   * The stream's creation time once it has settled. Hubs starting together may each add the
   * stream, and for a moment (nats-server 2.9 takes each add as one) its info names the
   * creation time of one add to one hub and of another to the next: a stream younger than
   * `CREATION_SETTLE_MS` is read again once it is that old, until two reads agree.
   */
  private async settledCreation(known?: string): Promise<string> {
    let created = known ?? (await this.jsm!.streams.info(this.stream)).created;
    for (let read = 0; read < 10 && !this.closing; read++) {
      const age = Date.now() - Date.parse(created);
      if (age >= CREATION_SETTLE_MS && read > 0) break;
      if (age < CREATION_SETTLE_MS) await pause(CREATION_SETTLE_MS - Math.max(0, age));
      const again = (await this.jsm!.streams.info(this.stream)).created;
      if (again === created && read > 0) break;
      created = again;
    }
    return created;
  }

  /** The epoch of a stream made at `created`; a stream made again starts the copy afresh. */
  private learnIdentity(created: string): void {
    if (created === this.created) return;
    const first = this.created === '';
    this.created = created;
    this.epochValue = epochOf(this.stream, created);
    this.identityLearnt();
    if (first) return;
    this.epochChanges++;
    this.log.warn(`the history stream was made again: epoch ${this.epochValue}`);
    this.replica.reset();
  }

  /** Reads the stream from its start into the copy, giving each event to its local readers. */
  private async follow(): Promise<void> {
    const follow = ++this.follows;
    const epoch = this.epochValue;
    this.followed = this.created;
    const consumer = await this.retrying('read the history stream', () =>
      this.js!.consumers.get(this.stream, {
        deliver_policy: natsClient().jetstream.DeliverPolicy.All,
      }),
    );
    if (!consumer || this.closing) return;
    const info = await this.retrying('read the history stream', () => consumer.info(true));
    if (info && info.num_pending === 0) this.caughtUp();
    const messages = await this.retrying('read the history stream', () =>
      consumer.consume({ callback: (msg) => this.take(msg, epoch) }),
    );
    if (!messages) return;
    this.reading.add(messages);
    // The hub began to stop, or a newer read began, while this consumer was being made: a
    // consumer left open would go on resetting itself, after the connection closes too.
    if (this.closing || follow !== this.follows) return this.stopReading(messages);
    this.messages = messages;
  }

  private async stopReading(messages: ConsumerMessages): Promise<void> {
    this.reading.delete(messages);
    if (this.messages === messages) this.messages = undefined;
    await messages.close().catch(() => undefined);
  }

  private async checkIdentity(): Promise<void> {
    if (this.closing || !this.jsm || this.checking) return;
    this.checking = true;
    try {
      await this.followTheStream();
    } finally {
      this.checking = false;
    }
  }

  /** Reads the stream again from its start if it is another one than the copy's. */
  private async followTheStream(): Promise<void> {
    try {
      const { created } = await this.jsm!.streams.info(this.stream);
      if (created !== this.created) this.learnIdentity(await this.settledCreation(created));
    } catch (error) {
      if (!/stream not found/i.test((error as Error).message)) return;
      // Deleted: made again (a new epoch) so that events are kept again.
      try {
        await this.ensureStream();
      } catch {
        return;
      }
    }
    if (this.followed === this.created) return;
    if (this.messages) await this.stopReading(this.messages);
    await this.follow();
  }

  /** One event read from the stream. */
  private take(msg: JsMsg, epoch: string): void {
    if (epoch !== this.epochValue) return;
    const room = tokenToRoom(msg.subject.slice(this.subjectPrefix.length));
    if (room === undefined || !msg.subject.startsWith(this.subjectPrefix)) {
      this.unreadable++;
      return;
    }
    // A copy: the client's view would keep its whole read buffer alive as long as the copy.
    const frame = Buffer.from(msg.data);
    const origin = msg.headers?.get(ORIGIN_HEADER) ?? '';
    const sender = msg.headers?.get(SENDER_HEADER) ?? '';
    const at = Math.floor(msg.info.timestampNanos / 1e6);
    const { seq } = msg;
    if (this.replica.add(room, { seq, frame, at, origin, sender })) {
      this.read++;
      this.deliver(room, new PositionedEvent(frame, epoch, seq), origin, sender);
    }
    if (msg.info.pending === 0) this.replica.caughtUp();
    this.resumeWaiting();
  }

  private caughtUp(): void {
    this.replica.caughtUp();
    this.resumeWaiting();
  }

  /** To each local subscriber of the room (or `*`) that asked for positions, but its sender. */
  private deliver(room: string, event: PositionedEvent, origin: string, sender: string): void {
    const recipients = this.recipients;
    recipients.clear();
    const skip = origin === this.config.hubId ? sender : '';
    const inRoom = this.registry.subscribersOf(room);
    for (const peer of inRoom) if (this.gets(peer, room, skip)) recipients.push(peer);
    for (const peer of this.registry.subscribersOf(WILDCARD_ROOM))
      if (!inRoom.has(peer) && this.gets(peer, room, skip)) recipients.push(peer);
    if (recipients.size === 0) return;
    this.delivery.toAll(recipients, event.wire, event.payload);
    this.delivered += recipients.size;
  }

  private gets(peer: PeerConnection, room: string, skip: string): boolean {
    if (!peer.positions || peer.id === skip || !peer.mayGet(room)) return false;
    return this.waiting.length === 0 || !this.isWaiting(peer, room);
  }

  private async publishOnce(
    subject: string,
    frame: Buffer,
    headers: MsgHdrs,
    msgID: string,
  ): Promise<boolean> {
    await this.identityKnown;
    for (;;) {
      try {
        const ack = await this.js!.publish(subject, frame, { msgID, headers });
        return ack.duplicate;
      } catch (error) {
        if (this.closing) throw error;
        this.publishRetries++;
        await pause(RETRY_PAUSE_MS);
      }
    }
  }

  /** Tries `work` until it succeeds or the hub stops (then undefined). */
  private async retrying<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; !this.closing; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt === 0) this.log.warn(`cannot ${what} yet (${(error as Error).message})`);
        await pause(RETRY_PAUSE_MS);
      }
    }
    return undefined;
  }
}

/** 8 url-safe characters of the stream's name and creation time: the same on every hub. */
export function epochOf(stream: string, created: string): string {
  return createHash('sha256').update(`${stream} ${created}`).digest('base64url').slice(0, 8);
}
