import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { CloseCodes, WILDCARD_ROOM } from '@ces/protocol';
import { PeerGrants } from '@ces/server-kit';
import { WebSocket } from 'ws';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { RepeaterCounters } from '../status/repeater-counters';
import { OutsideConnection } from './outside-connection';

export interface OutsideSocketInfo {
  socket: WebSocket;
  room: string | undefined;
  id: string;
  remoteIp: string;
  remotePort?: number;
  grants: PeerGrants;
}

/** How long a socket the repeater closed may take to answer the close before it is cut. */
const CLOSE_GRACE_MS = 2000;

/**
 * The sockets outside systems opened to this repeater, by room and by address, and their
 * liveness: each is pinged every REPEATER_PING_INTERVAL_MS and dropped when it has not
 * answered the last ping, and closed with 4008 when it stays over its byte budget or reads
 * nothing of what waits for it for REPEATER_SLOW_CONSUMER_MS. Idle sockets are closed.
 */
@Injectable()
export class OutsideConnectionsService
  implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown
{
  private readonly logger = new Logger(OutsideConnectionsService.name);
  /** Room (`*` for every room, `''` for send-only sockets) → its sockets. */
  private readonly byRoom = new Map<string, Set<OutsideConnection>>();
  private readonly byAddress = new Map<string, number>();
  private readonly all = new Set<OutsideConnection>();
  private checkTimer?: NodeJS.Timeout;
  private lastPingAt = Date.now();

  constructor(
    @Inject(REPEATER_CONFIG) private readonly config: RepeaterConfig,
    private readonly counters: RepeaterCounters,
  ) {}

  get count(): number {
    return this.all.size;
  }

  countFrom(ip: string): number {
    return this.byAddress.get(ip) ?? 0;
  }

  onModuleInit(): void {
    const { slowConsumerMs, pingIntervalMs } = this.config.delivery;
    const every = Math.max(
      50,
      Math.min(1000, Math.floor(Math.min(slowConsumerMs, pingIntervalMs) / 4)),
    );
    this.checkTimer = setInterval(() => this.check(Date.now()), every);
    this.checkTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.checkTimer);
  }

  accept(info: OutsideSocketInfo): OutsideConnection {
    const { socket, room, id, remoteIp, remotePort, grants } = info;
    const connection = new OutsideConnection(
      socket,
      room,
      id,
      `${remoteIp}:${remotePort ?? ''}`,
      remoteIp,
      grants,
      this.config.delivery.highWaterBytes,
    );
    this.all.add(connection);
    this.counters.opened++;
    this.byAddress.set(remoteIp, this.countFrom(remoteIp) + 1);
    const key = room ?? '';
    let set = this.byRoom.get(key);
    if (!set) this.byRoom.set(key, (set = new Set()));
    set.add(connection);
    connection.startIdleTimer(this.config.idleTimeoutMs);
    socket.on('error', (error) => this.logger.debug(`${id}: ${error.message}`));
    socket.once('close', (code: number) => {
      this.counters.connectionClosed(code);
      this.remove(connection, key);
    });
    return connection;
  }

  /** The open sockets that asked for this room's events: its own, and `*`'s. */
  *listenersOf(room: string): Iterable<OutsideConnection> {
    for (const key of room === WILDCARD_ROOM ? [room] : [room, WILDCARD_ROOM]) {
      for (const connection of this.byRoom.get(key) ?? []) {
        if (connection.isOpen) yield connection;
      }
    }
  }

  hasListeners(room: string): boolean {
    return (
      (this.byRoom.get(room)?.size ?? 0) > 0 || (this.byRoom.get(WILDCARD_ROOM)?.size ?? 0) > 0
    );
  }

  list() {
    const now = Date.now();
    return [...this.all].map((c) => ({
      id: c.id,
      room: c.room ?? null,
      remoteAddress: c.remoteAddress,
      connectedAt: c.connectedAt.toISOString(),
      idleMs: now - c.lastActivityAt,
      eventsIn: c.eventsIn,
      eventsOut: c.eventsOut,
      rejected: c.rejected,
      dropped: c.dropped,
      bytesQueued: c.socket.bufferedAmount,
      state: c.closing ? 'closing' : 'open',
    }));
  }

  onApplicationShutdown(): void {
    for (const connection of this.all)
      connection.socket.close(CloseCodes.goingAway, 'repeater is shutting down');
  }

  /**
   * Keepalive by what the peer reads: unanswered pings and stalled reads end the socket, and
   * so does the expiry of its token (4401: reconnect with a fresh one).
   */
  private check(now: number): void {
    const { pingIntervalMs, slowConsumerMs } = this.config.delivery;
    const pingDue = now - this.lastPingAt >= pingIntervalMs;
    if (pingDue) this.lastPingAt = now;
    for (const connection of this.all) {
      if (connection.closing) continue;
      const expiresAt = connection.grants.expiresAt;
      if (expiresAt !== undefined && now >= expiresAt) {
        this.counters.disconnect('token-expired');
        connection.closeWith(CloseCodes.tokenExpired, 'token expired', CLOSE_GRACE_MS);
        continue;
      }
      const stalledMs = connection.progress.check(now);
      if (stalledMs >= slowConsumerMs) {
        this.counters.disconnect('slow-consumer');
        this.logger.warn(`closing ${connection.id}: slow consumer (${stalledMs} ms)`);
        connection.closeWith(CloseCodes.slowConsumer, 'slow consumer', CLOSE_GRACE_MS);
        continue;
      }
      if (!pingDue) continue;
      if (connection.awaitingPong) {
        this.counters.disconnect('keepalive');
        connection.closing = true;
        connection.socket.terminate();
        continue;
      }
      connection.ping();
    }
  }

  private remove(connection: OutsideConnection, key: string): void {
    connection.stopIdleTimer();
    if (!this.all.delete(connection)) return;
    const left = this.countFrom(connection.remoteIp) - 1;
    if (left > 0) this.byAddress.set(connection.remoteIp, left);
    else this.byAddress.delete(connection.remoteIp);
    const set = this.byRoom.get(key);
    set?.delete(connection);
    if (set?.size === 0) this.byRoom.delete(key);
  }
}
