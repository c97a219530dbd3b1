import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { CLIENT_NAME_PARAM, HUB_ID_HEADER, parsePeerKind, SERVICE_PARAM } from '@ces/protocol';
import { upgradeParams } from '@ces/server-kit';
import { WebSocket, WebSocketServer } from 'ws';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConnectionsService } from './connections.service';
import { UpgradeGuardService } from './upgrade-guard.service';

/** The path every peer connects to; `kind` is messenger, repeater or hub (or an alias from the system's earlier naming: spoke, ingester, dispatcher). */
export const CONNECT_PATH = '/connect/:kind';

/**
 * Accepts peer websockets. The gateway is on the connection path only: the upgrade was
 * already checked by the hub's upgrade guard, and frames are read by ConnectionsService.
 */
@WebSocketGateway({ path: CONNECT_PATH })
export class ConnectGateway
  implements OnGatewayInit<WebSocketServer>, OnGatewayConnection<WebSocket>
{
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly connections: ConnectionsService,
    private readonly guard: UpgradeGuardService,
  ) {}

  afterInit(server: WebSocketServer): void {
    // Tell a dialing hub who we are, so it can refuse a link to itself and keep one link per pair.
    server.on('headers', (headers: string[]) =>
      headers.push(`${HUB_ID_HEADER}: ${this.config.hubId}`),
    );
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const kind = parsePeerKind(upgradeParams(request).kind ?? '');
    if (!kind) return socket.terminate(); // the upgrade guard refuses these before the upgrade
    const remoteHubId = request.headers[HUB_ID_HEADER];
    const remoteIp = request.socket.remoteAddress ?? '';
    this.connections.accept(socket, kind, {
      name: clientName(request),
      service: serviceName(request),
      remoteAddress: `${remoteIp}:${request.socket.remotePort}`,
      remoteIp,
      grants: this.guard.grantsFor(request),
      remoteHubId: kind === 'hub' && typeof remoteHubId === 'string' ? remoteHubId : undefined,
      direction: kind === 'hub' ? 'in' : undefined,
    });
  }
}

/** The registered service a messenger connects as an instance of, if it names one. */
function serviceName(request: IncomingMessage): string | undefined {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  return query.get(SERVICE_PARAM) ?? undefined;
}

/** The `name` a client gave itself in the connect URL (the upgrade guard refused invalid ones). */
function clientName(request: IncomingMessage): string | undefined {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  return query.has(CLIENT_NAME_PARAM) ? query.get(CLIENT_NAME_PARAM)! : undefined;
}
