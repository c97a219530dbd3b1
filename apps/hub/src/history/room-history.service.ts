import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  encodeRecoveryReport,
  PeerKind,
  RecoveryRefusal,
  RoomPosition,
  WILDCARD_ROOM,
} from '@ces/protocol';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { LinkRegistry } from '../interconnect/link-registry';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { HISTORY_STORE } from '../store/history-store.provider';
import { HistoryStore } from '../store/history-store';
import { buildBinaryFrame } from '../transport/frame-writer';
import { PeerSocket } from '../transport/peer-socket';
import { HistoryCoverage } from './history-coverage';
import { historyRoomMatcher } from './history-rooms';
import { PositionedEvent, positionedPayload } from './positioned-event';
import { coversGap, planRecovery } from './recovery-plan';

/** What a resume needs of a peer (a `PeerConnection` is one). */
export interface ResumingPeer {
  kind: PeerKind;
  mayGet(room: string): boolean;
  sendControl(text: string): boolean;
  socket: Pick<PeerSocket, 'fits' | 'sendEvent'>;
}

/** ws's header of a binary frame is at most this many bytes (server side, unmasked). */
const FRAME_HEADER_BYTES = 10;

/**
 * The history of the rooms `HUB_HISTORY_ROOMS` names: each of their events is kept with its
 * position, and a client that resumes gets what it missed — all of it, in order, or a
 * `recovered: false` and nothing. Owns the history store and its expiry timer.
 */
@Injectable()
export class RoomHistory implements OnModuleInit, OnModuleDestroy {
  /** Undefined when no room keeps history: then the event path checks only this. */
  readonly isHistoryRoom?: (room: string) => boolean;
  private sweeper?: ReturnType<typeof setInterval>;
  private readonly coverage = new HistoryCoverage();
  /** History rooms with events or asked for: those `*` losing its last subscriber concerns. */
  private readonly knownRooms = new Set<string>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(HISTORY_STORE) private readonly store: HistoryStore,
    private readonly counters: HubCounters,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly links: LinkRegistry<PeerConnection>,
  ) {
    this.isHistoryRoom = historyRoomMatcher(config.history.rooms);
    // Links carry only wanted rooms: a history room that stops being wanted misses events.
    if (this.isHistoryRoom && config.linkInterest) this.followInterest();
  }

  onModuleInit(): void {
    if (!this.isHistoryRoom) return;
    const { ttlMs } = this.config.history;
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 60_000));
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** Keeps an event of a history room; undefined (nothing kept) for any other room. */
  record(room: string, frame: Buffer): PositionedEvent | undefined {
    if (!this.isHistoryRoom!(room)) return undefined;
    const offset = this.store.append(room, frame, Date.now());
    if (offset === 1) this.knownRooms.add(room);
    return new PositionedEvent(frame, this.store.epoch, offset);
  }

  /**
   * Answers a resume of each room, then replays what it missed. Called in the same turn as
   * the peer was subscribed to these rooms, so the replay ends exactly where live events begin.
   */
  recover(peer: ResumingPeer, asked: Readonly<Record<string, RoomPosition>>): void {
    for (const room of Object.keys(asked)) this.recoverRoom(peer, room, asked[room]);
  }

  /** Resumes a subscription that was refused: only rooms the token does not grant are answered. */
  refuseForbidden(peer: ResumingPeer, asked: Readonly<Record<string, RoomPosition>>): void {
    for (const room of Object.keys(asked))
      if (!peer.mayGet(room)) this.refuse(peer, room, 'forbidden');
  }

  private recoverRoom(peer: ResumingPeer, room: string, asked: RoomPosition): void {
    const historyRoom = this.isHistoryRoom?.(room) === true;
    const { epoch } = this.store;
    const latest = historyRoom ? this.store.latest(room) : 0;
    const plan = planRecovery({
      asked,
      epoch,
      latest,
      historyRoom,
      granted: peer.mayGet(room),
      maxRecovery: this.config.history.maxRecovery,
    });
    if (!plan.replay) return this.refuse(peer, room, plan.reason);
    if (!this.coverage.covers(room, plan.after)) return this.refuse(peer, room, 'gap');
    const notBefore = Date.now() - this.config.history.ttlMs;
    const rows = this.store.read(room, plan.after, notBefore, plan.count);
    if (
      !coversGap(
        rows.map((row) => row.offset),
        plan.after,
        plan.count,
      )
    )
      return this.refuse(peer, room, 'gap');
    const payloads = rows.map((row) => positionedPayload(row.frame, epoch, row.offset));
    const report = encodeRecoveryReport({
      room,
      recovered: true,
      epoch,
      offset: latest,
      events: plan.count,
    });
    // Never part of a recovery: all of it must fit in the peer's budget now, or none is sent.
    let bytes = Buffer.byteLength(report) + FRAME_HEADER_BYTES;
    for (const payload of payloads) bytes += payload.length + FRAME_HEADER_BYTES;
    if (!peer.socket.fits(bytes)) return this.refuse(peer, room, 'too-many');
    if (!peer.sendControl(report)) return;
    let sent = 0;
    for (const payload of payloads)
      if (peer.socket.sendEvent(buildBinaryFrame(payload), payload)) sent++;
    if (sent) this.counters.eventsOutTo(peer.kind, sent);
    this.counters.durable('history-recovered');
    this.counters.durable('history-replayed', sent);
  }

  private refuse(peer: ResumingPeer, room: string, reason: RecoveryRefusal): void {
    const forbidden = reason === 'forbidden';
    // A room the token does not grant: neither its epoch's use nor its offset is told.
    const offset = forbidden ? 0 : this.store.latest(room);
    const epoch = this.store.epoch;
    peer.sendControl(encodeRecoveryReport({ room, recovered: false, reason, epoch, offset }));
    this.counters.durable(`history-not-recovered-${reason}`);
  }

  /** Hears each room that gains its first local subscriber or loses its last. */
  private followInterest(): void {
    this.registry.watchRoomInterest((room) => {
      if (room === WILDCARD_ROOM) for (const known of this.knownRooms) this.interestChanged(known);
      else if (this.isHistoryRoom!(room)) this.interestChanged(room);
    });
  }

  private interestChanged(room: string): void {
    const wanted =
      this.registry.subscribersOf(room).size > 0 ||
      this.registry.subscribersOf(WILDCARD_ROOM).size > 0;
    this.knownRooms.add(room);
    const linksOpen = this.links.open.length > 0;
    if (wanted) this.coverage.regained(room, this.store.latest(room), linksOpen);
    else this.coverage.lost(room, linksOpen);
  }

  private sweep(): void {
    this.store.sweep(Date.now() - this.config.history.ttlMs);
  }
}
