import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import {
  CloseCodes,
  ConfirmRequest,
  encodeConfirmed,
  encodeConfirmReply,
  encodeRefused,
} from '@ces/protocol';
import { RateLimitedLogger } from '@ces/server-kit';
import { BackboneGate } from '../cluster/backbone';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { EventForwarder } from '../forwarding/event-forwarder.service';
import { HubCounters } from '../status/hub-counters';
import { HISTORY_STORE } from '../store/history-store.provider';
import { HistoryStore } from '../store/history-store';
import { PUBLISHER_STORE } from '../store/publisher-store.provider';
import { PublisherStore } from '../store/publisher-store';
import { ConfirmSession } from './confirm-session';
import { PublisherBook } from './publisher-book';

const NONE_TAKEN: Promise<boolean[]> = Promise.resolve([]);

/** How often publishers out of the window are forgotten, at most. */
const MAX_SWEEP_MS = 60_000;

/**
 * Publish confirms (docs/protocol.md §4.4): numbers the event frames of the connections that
 * asked for them, drops the resends the hub has taken already, reports refusals, and once a
 * turn sends each such connection one cumulative `{"confirmed":N}` — after the stores have
 * written what those events had to leave there (durable groups, room history). Connections that did not ask never come here.
 */
@Injectable()
export class ConfirmsService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new RateLimitedLogger(new Logger(ConfirmsService.name));
  private readonly book: PublisherBook;
  private due: PeerConnection[] = [];
  private scheduled = false;
  private sweeper?: NodeJS.Timeout;
  /** Totals for /status: confirms sent, refusals reported, resends dropped. */
  readonly totals = { confirmed: 0, refused: 0, resends: 0 };

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PUBLISHER_STORE) private readonly store: PublisherStore,
    @Inject(HISTORY_STORE) private readonly history: HistoryStore,
    private readonly forwarder: EventForwarder,
    private readonly counters: HubCounters,
    private readonly backbone: BackboneGate,
  ) {
    this.book = new PublisherBook(config.confirms);
  }

  get publishers(): number {
    return this.book.size;
  }

  onModuleInit(): void {
    this.forgetAll(this.book.restore(this.store.load(), Date.now()));
    const every = Math.min(MAX_SWEEP_MS, Math.ceil(this.config.confirms.windowMs / 10));
    this.sweeper = setInterval(() => this.forgetAll(this.book.expire(Date.now())), every);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** A messenger asks for confirms: its next event frame has sequence `request.next`. */
  open(peer: PeerConnection, request: ConfirmRequest): void {
    if (peer.confirms) {
      peer.rejected++;
      this.counters.reject('invalid-confirm');
      peer.sendError('confirms are on already on this connection');
      return;
    }
    const { record, forgotten } = this.book.open(request.publisher, Date.now());
    this.forgetAll(forgotten);
    this.store.save(record);
    peer.confirms = new ConfirmSession(record, request.next);
    peer.sendControl(encodeConfirmReply({ publisher: record.publisher, taken: record.taken }));
  }

  /**
   * One event frame of a connection with confirms: a resend is dropped, an event over the
   * rate or refused by the forwarder is reported; each is settled for the next confirm.
   */
  event(
    peer: PeerConnection,
    session: ConfirmSession,
    frame: Buffer,
    overRate: (peer: PeerConnection) => void,
  ): void {
    // Frames still in flight after a report could not be sent: not taken, so resent later.
    if (session.broken) return;
    const seq = session.number();
    if (session.isResend(seq)) {
      this.totals.resends++;
      this.counters.drop('duplicate-resend');
    } else if (peer.publishBucket && !peer.publishBucket.take()) {
      if (!this.refuse(peer, session, seq, 'rate-limited', 'over the publish rate')) return;
      overRate(peer);
    } else if (!this.forwarder.forward(peer.kind, peer, frame)) {
      const { reason, message } = this.forwarder.lastRefusal;
      if (!this.refuse(peer, session, seq, reason, message)) return;
    } else {
      const put = this.backbone.backbone.takeStreamPut();
      if (put) {
        session.hold(seq);
        session.streamPuts.push({ seq, taken: put.taken });
      }
    }
    session.settle(seq);
    if (!session.queued) this.queue(peer, session);
  }

  /** Reports a refusal; false (and the connection closes) when it does not fit the budget. */
  private refuse(
    peer: PeerConnection,
    session: ConfirmSession,
    seq: number,
    reason: string,
    message: string,
  ): boolean {
    if (peer.sendControl(encodeRefused({ seq, reason, message }))) {
      this.totals.refused++;
      return true;
    }
    this.break(peer, session, 'a refusal');
    return false;
  }

  /**
   * A report that cannot be sent must not be lost: the connection is closed, and what it had
   * not had confirmed is resent by the client (resends are dropped, refusals made again).
   */
  private break(peer: PeerConnection, session: ConfirmSession, what: string): void {
    session.broken = true;
    this.counters.disconnect('confirm-over-budget');
    this.log.warn(
      `confirm-${peer.id}`,
      `${peer.id}: ${what} did not fit in its send budget; closing`,
    );
    peer.close(CloseCodes.slowConsumer, 'confirms did not fit in the send budget');
  }

  private queue(peer: PeerConnection, session: ConfirmSession): void {
    session.queued = true;
    // Saved now, not at the end of the turn: the store writes it with the events routed in
    // this turn, in one transaction, whichever of the two runs first at the end of it.
    this.forgetAll(this.book.heard(session.record, Date.now()));
    this.store.save(session.record);
    this.due.push(peer);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.endOfTurn);
  }

  /**
   * Once a turn: what the turn's events had to store is written (and, in cluster mode, the
   * durable groups' copies are in the stream), then each gets one confirm, after its last.
   */
  private readonly endOfTurn = (): void => {
    this.scheduled = false;
    const peers = this.due;
    this.due = [];
    // Stored where they must be: durable groups (with the taken counts) and room history;
    // in cluster mode, also on a NATS server.
    const written = Promise.all([
      this.store.written(),
      this.history.written(),
      this.backbone.backbone.written(),
    ]);
    for (const peer of peers) {
      const session = peer.confirms!;
      session.queued = false;
      const upTo = session.settled;
      const puts = session.streamPuts;
      session.streamPuts = [];
      const taken = puts.length === 0 ? NONE_TAKEN : Promise.all(puts.map((put) => put.taken));
      session.lastConfirm = Promise.all([session.lastConfirm, written, taken])
        .then(([, , outcomes]) => {
          // A refusal that could not be sent leaves its event untaken: the client resends it.
          for (let i = 0; i < puts.length; i++)
            if (!outcomes[i] && !this.refuseNotStored(peer, session, puts[i].seq)) return;
          if (puts.length > 0) {
            session.release(upTo);
            this.store.save(session.record);
          }
          this.confirm(peer, upTo);
        })
        // A failure here must not reach the process as an unhandled rejection, and a later
        // cumulative confirm must not cover what this one could not: the connection is
        // closed, and the client resends from its last confirm.
        .catch((error: unknown) => {
          session.broken = true;
          this.log.warn('confirm-failed', `${peer.id}: a confirm failed: ${String(error)}`);
          peer.close(CloseCodes.internalError, 'confirm failed');
        });
    }
  };

  /** The cluster's stream did not take an event in time: refused, never confirmed. */
  private refuseNotStored(peer: PeerConnection, session: ConfirmSession, seq: number): boolean {
    if (session.broken || !peer.isOpen) return false;
    return this.refuse(
      peer,
      session,
      seq,
      'cluster-unavailable',
      "the cluster's stream did not take this event for its durable groups in time",
    );
  }

  private confirm(peer: PeerConnection, upTo: number): void {
    const session = peer.confirms!;
    const due = session.due(upTo);
    if (due === undefined || !peer.isOpen) return;
    if (!peer.sendControl(encodeConfirmed(due))) return this.break(peer, session, 'a confirm');
    session.confirmed = due;
    this.totals.confirmed++;
  }

  private forgetAll(publishers: string[]): void {
    for (const publisher of publishers) this.store.forget(publisher);
  }
}
