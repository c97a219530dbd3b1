import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { RecoveryRefusal, RoomPosition, WILDCARD_ROOM } from '@ces/protocol';
import { JetStreamHistory } from '../cluster/jetstream-history.service';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { LinkRegistry } from '../interconnect/link-registry';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { HISTORY_STORE } from '../store/history-store.provider';
import { HistoryStore } from '../store/history-store';
import { HistoryCoverage } from './history-coverage';
import { historyRoomMatcher } from './history-rooms';
import { POSITIONED_LATER, PositionedEvent } from './positioned-event';
import { coversGap, planRecovery } from './recovery-plan';
import { refuseRecovery, replayRoom, ResumingPeer } from './recovery-replay';

export type { ResumingPeer } from './recovery-replay';

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
    @Optional() private readonly cluster?: JetStreamHistory,
  ) {
    this.isHistoryRoom = historyRoomMatcher(config.history.rooms);
    if (this.cluster?.enabled) return;
    // Links carry only wanted rooms: a history room that stops being wanted misses events.
    if (this.isHistoryRoom && config.linkInterest) this.followInterest();
  }

  onModuleInit(): void {
    // In cluster mode the history is the cluster's stream: the store is not used.
    if (!this.isHistoryRoom || this.cluster?.enabled) return;
    const { ttlMs } = this.config.history;
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 60_000));
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /**
   * Keeps an event of a history room; undefined (nothing kept) for any other room. In cluster
   * mode an event that `entered` this hub (from `senderId`, when a peer sent it) goes to the
   * cluster's history stream, and every event of a history room reaches the peers that asked
   * for positions from that stream, with its sequence: `POSITIONED_LATER` says so.
   */
  record(
    room: string,
    frame: Buffer,
    entered = true,
    senderId?: string,
  ): PositionedEvent | typeof POSITIONED_LATER | undefined {
    if (!this.isHistoryRoom!(room)) return undefined;
    if (this.cluster?.enabled) {
      if (entered) this.cluster.publish(room, frame, senderId);
      return POSITIONED_LATER;
    }
    const offset = this.store.append(room, frame, Date.now());
    if (offset === 1) this.knownRooms.add(room);
    return new PositionedEvent(frame, this.store.epoch, offset);
  }

  /**
   * Answers a resume of each room, then replays what it missed. Called in the same turn as
   * the peer was subscribed to these rooms, so the replay ends exactly where live events begin.
   */
  recover(peer: ResumingPeer, asked: Readonly<Record<string, RoomPosition>>): void {
    const cluster = this.cluster?.enabled ? this.cluster : undefined;
    for (const room of Object.keys(asked)) {
      const historyRoom = this.isHistoryRoom?.(room) === true;
      if (cluster) cluster.recover(peer as PeerConnection, room, asked[room], historyRoom);
      else this.recoverRoom(peer, room, asked[room], historyRoom);
    }
  }

  /** Resumes a subscription that was refused: only rooms the token does not grant are answered. */
  refuseForbidden(peer: ResumingPeer, asked: Readonly<Record<string, RoomPosition>>): void {
    for (const room of Object.keys(asked))
      if (!peer.mayGet(room)) this.refuse(peer, room, 'forbidden');
  }

  private recoverRoom(
    peer: ResumingPeer,
    room: string,
    asked: RoomPosition,
    historyRoom: boolean,
  ): void {
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
    replayRoom(peer, this.counters, room, { epoch, latest }, rows);
  }

  private refuse(peer: ResumingPeer, room: string, reason: RecoveryRefusal): void {
    if (this.cluster?.enabled) return this.cluster.refuse(peer, room, reason);
    const position = { epoch: this.store.epoch, latest: this.store.latest(room) };
    refuseRecovery(peer, this.counters, room, reason, position);
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
