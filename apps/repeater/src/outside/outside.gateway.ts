import type { IncomingMessage } from 'node:http';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import { upgradeParams } from '@ces/server-kit';
import { WebSocket } from 'ws';
import { OutsideConnectionsService } from './outside-connections.service';

let anonymous = 0;

function accept(
  service: OutsideConnectionsService,
  socket: WebSocket,
  request: IncomingMessage,
): void {
  const { room, id } = upgradeParams(request);
  const remoteAddress = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
  service.accept(socket, room, id ?? `outside-${++anonymous}`, remoteAddress);
}

/** `/connect/:room/:id` — the original repeater's path: the socket gets the events of `:room` (`*` for all). */
@WebSocketGateway({ path: '/connect/:room/:id' })
export class RoomConnectGateway implements OnGatewayConnection<WebSocket> {
  constructor(private readonly outside: OutsideConnectionsService) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    accept(this.outside, socket, request);
  }
}

/** `/connect` — a socket that only sends events (each names its own room). */
@WebSocketGateway({ path: '/connect' })
export class ConnectGateway implements OnGatewayConnection<WebSocket> {
  constructor(private readonly outside: OutsideConnectionsService) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    accept(this.outside, socket, request);
  }
}
