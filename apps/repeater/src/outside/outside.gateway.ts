import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { upgradeParams } from '@ces/server-kit';
import { WebSocket, WebSocketServer } from 'ws';
import { IngressService } from '../ingress/ingress.service';
import { OutsideAdmissionService } from './outside-admission.service';
import { OutsideConnection } from './outside-connection';
import { OutsideConnectionsService } from './outside-connections.service';

let anonymous = 0;

type VerifyClient = (
  info: { req: IncomingMessage },
  done: (verified: boolean, code?: number, message?: string) => void,
) => void;

/**
 * The outside sockets' endpoints: admission before the upgrade completes (limits, room grants),
 * then each message goes through the repeater's one intake with the socket's grants.
 */
@Injectable()
abstract class OutsideGateway
  implements OnGatewayInit<WebSocketServer>, OnGatewayConnection<WebSocket>
{
  constructor(
    private readonly admission: OutsideAdmissionService,
    private readonly connections: OutsideConnectionsService,
    private readonly ingress: IngressService,
  ) {}

  afterInit(server: WebSocketServer): void {
    // ws runs this after the auth guard, before it answers 101; a refusal gets its HTTP status.
    const verifyClient: VerifyClient = ({ req }, done) => {
      this.admission.admit(req, upgradeParams(req).room).then(
        (refusal) => (refusal ? done(false, refusal.status, refusal.message) : done(true)),
        () => done(false, 500, 'admission failed'),
      );
    };
    (server.options as { verifyClient?: VerifyClient }).verifyClient = verifyClient;
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const { room, id } = upgradeParams(request);
    const grants = this.admission.grantsFor(request);
    if (!grants) return void socket.terminate();
    const connection = this.connections.accept({
      socket,
      room,
      id: id ?? `outside-${++anonymous}`,
      remoteIp: request.socket.remoteAddress ?? '',
      remotePort: request.socket.remotePort,
      grants,
    });
    socket.on('message', (data: Buffer) => this.onMessage(connection, data));
  }

  private onMessage(connection: OutsideConnection, data: Buffer): void {
    const outcome = this.ingress.takeIn(
      { kind: 'message', data, connectionRoom: connection.room },
      connection.grants,
      { kind: 'websocket', id: connection.id, remoteAddress: connection.remoteAddress },
    );
    if (!outcome.ok) {
      connection.rejected++;
      return connection.sendError(outcome.error, outcome.details);
    }
    connection.touch();
    connection.eventsIn++;
  }
}

/** `/connect/:room/:id` — the original repeater's path: the socket gets the events of `:room` (`*` for all). */
@WebSocketGateway({ path: '/connect/:room/:id' })
export class RoomConnectGateway extends OutsideGateway {}

/** `/connect` — a socket that only sends events (each names its own room). */
@WebSocketGateway({ path: '/connect' })
export class ConnectGateway extends OutsideGateway {}
