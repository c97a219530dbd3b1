import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { encodeFrame, WILDCARD_ROOM } from '@ces/protocol';
import { WebSocket } from 'ws';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { AuditTrail } from '@ces/server-kit';
import { takeInEvent } from '../ingress/event-intake';
import { auditIntake } from '../ingress/ingress-audit';
import { RepeaterCounters } from '../status/repeater-counters';
import { HubUplinkService } from '../uplink/hub-uplink.service';
import { OutsideConnection } from './outside-connection';

/**
 * The sockets outside systems opened to this repeater: their events go up to the hub,
 * and the hub's events for their room come down to them. Idle sockets are closed.
 */
@Injectable()
export class OutsideConnectionsService implements OnApplicationShutdown {
  private readonly logger = new Logger(OutsideConnectionsService.name);
  private readonly byRoom = new Map<string, Set<OutsideConnection>>();
  private readonly all = new Set<OutsideConnection>();

  constructor(
    @Inject(REPEATER_CONFIG) private readonly config: RepeaterConfig,
    private readonly uplink: HubUplinkService,
    private readonly counters: RepeaterCounters,
    private readonly audit: AuditTrail,
  ) {}

  accept(socket: WebSocket, room: string | undefined, id: string, remoteAddress: string): void {
    const connection = new OutsideConnection(socket, room, id, remoteAddress);
    this.all.add(connection);
    const key = room ?? '';
    let set = this.byRoom.get(key);
    if (!set) this.byRoom.set(key, (set = new Set()));
    set.add(connection);
    connection.startIdleTimer(this.config.idleTimeoutMs);
    socket.on('message', (data: Buffer) => this.onMessage(connection, data));
    socket.on('error', (error) => this.logger.debug(`${id}: ${error.message}`));
    socket.once('close', () => this.remove(connection, key));
  }

  /** Sends a hub event to the sockets connected for its room and for `*`, framed as the original does. */
  deliver(room: string, event: Buffer): void {
    const inRoom = this.byRoom.get(room);
    const everywhere = room === WILDCARD_ROOM ? undefined : this.byRoom.get(WILDCARD_ROOM);
    if (!inRoom?.size && !everywhere?.size) return;
    const frame = encodeFrame(room, event);
    for (const set of [inRoom, everywhere]) {
      for (const connection of set ?? []) this.send(connection, frame);
    }
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
    }));
  }

  onApplicationShutdown(): void {
    for (const connection of this.all) connection.socket.close(1001, 'repeater is shutting down');
  }

  private onMessage(connection: OutsideConnection, data: Buffer): void {
    const result = takeInEvent(data, this.config.intake, connection.room);
    auditIntake(
      this.audit,
      { kind: 'websocket', id: connection.id, remoteAddress: connection.remoteAddress },
      result,
    );
    if (!result.ok) {
      connection.rejected++;
      this.counters.reject('invalid-event');
      if (connection.socket.readyState === WebSocket.OPEN) {
        connection.socket.send(JSON.stringify({ error: result.error, details: result.details }));
      }
      return;
    }
    connection.touch();
    connection.eventsIn++;
    this.uplink.forward(result.room, result.event);
    this.counters.count('ingress-websocket');
  }

  private send(connection: OutsideConnection, frame: Buffer): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    connection.socket.send(frame, { binary: true });
    connection.eventsOut++;
    connection.touch();
  }

  private remove(connection: OutsideConnection, key: string): void {
    connection.stopIdleTimer();
    this.all.delete(connection);
    const set = this.byRoom.get(key);
    set?.delete(connection);
    if (set?.size === 0) this.byRoom.delete(key);
  }
}
