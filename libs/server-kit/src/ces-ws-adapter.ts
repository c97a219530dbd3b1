import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { match, MatchFunction } from 'path-to-regexp';
import { WebSocketServer } from 'ws';
import { setUpgradeParams, UpgradeGuard, UpgradeParams, UpgradeRefusal } from './upgrade-refusal';

export interface CesWsAdapterOptions {
  /** Runs before every upgrade; a refusal is answered with its HTTP status. */
  upgradeGuard?: UpgradeGuard;
  /** ws server options applied to every gateway (maxPayload, perMessageDeflate…). */
  serverOptions?: Record<string, unknown>;
  /**
   * A different frame limit (ws `maxPayload`) for the sockets upgraded at a path, e.g. hub
   * links at `/connect/hub`, which may carry larger frames than a client may send.
   */
  maxPayloadByPath?: Readonly<Record<string, number>>;
}

type RoutedServer = WebSocketServer & { path: string };

/**
 * The Nest ws adapter, changed in the two ways this system needs:
 * gateway paths are patterns (`/connect/:room/:id`), with a guard that can refuse an
 * upgrade with a real HTTP status; and the framework never touches a frame — each
 * connection's owner attaches its own listener, so event bytes are never parsed here.
 */
export class CesWsAdapter extends WsAdapter {
  private readonly matchers = new Map<string, MatchFunction<UpgradeParams>>();
  /** Per gateway server, a twin that differs only in maxPayload, by that limit. */
  private readonly twins = new Map<WebSocketServer, Map<number, WebSocketServer>>();

  constructor(
    appOrHttpServer: INestApplicationContext | HttpServer,
    private readonly options: CesWsAdapterOptions = {},
  ) {
    super(appOrHttpServer);
  }

  /**
   * Every gateway shares the app's HTTP server. The server is built here, from the
   * project's own `ws`, not by the Nest adapter, which would take the older copy that
   * @nestjs/platform-ws nests: one ws version, with its fixes, on both ends.
   */
  override create(port: number, options: Record<string, unknown> = {}): WebSocketServer {
    const { server: _server, path, namespace: _namespace, ...wsOptions } = options;
    if (port !== 0 || !this.httpServer) {
      throw new Error('CES gateways share the app’s HTTP server: give them no port');
    }
    this.ensureHttpServerExists(port, this.httpServer as HttpServer);
    const server = this.bindErrorHandler(
      new WebSocketServer({
        perMessageDeflate: false,
        ...wsOptions,
        ...this.options.serverOptions,
        noServer: true,
      }),
    );
    this.addWsServerToRegistry(server, port, String(path ?? '/'));
    return server;
  }

  /**
   * Socket errors (bad frames, oversize frames, resets) are the business of each
   * connection's owner, which counts them and logs at a rate-limited level; logging each
   * one here would let a hostile client flood the log.
   */
  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('connection', (socket) => socket.on('error', () => undefined));
    server.on('error', (error) => this.logger.error(error));
    return server;
  }

  override bindMessageHandlers(): void {
    // Frames are handled by the services that own each connection (see the gateways).
  }

  protected override ensureHttpServerExists(
    port: number,
    httpServer: HttpServer = this.createHttpServer(),
  ): HttpServer | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.routeUpgrade(port, request, socket, head).catch((error: unknown) =>
        refuse(socket, { status: 500, message: `upgrade failed: ${String(error)}` }),
      );
    });
    return httpServer;
  }

  private createHttpServer(): HttpServer {
    return require('node:http').createServer();
  }

  private async routeUpgrade(
    port: number,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    socket.on('error', destroyOnError);
    const pathname = new URL(request.url ?? '/', 'ws://localhost').pathname;
    const servers = (this.wsServersRegistry.get(port) ?? []) as unknown as RoutedServer[];
    for (const server of servers) {
      const matched = this.matcherFor(server.path)(pathname);
      if (!matched) continue;
      const refusal = await this.options.upgradeGuard?.(request, matched.params, server.path);
      if (refusal) return refuse(socket, refusal);
      setUpgradeParams(request, matched.params);
      const upgrader = this.upgraderFor(server, this.options.maxPayloadByPath?.[pathname]);
      upgrader.handleUpgrade(request, socket, head, (ws) => {
        // The websocket handles its socket's errors from here on.
        socket.removeListener('error', destroyOnError);
        server.emit('connection', ws, request);
      });
      return;
    }
    refuse(socket, { status: 400, message: `no websocket endpoint at ${pathname}` });
  }

  /**
   * ws reads its frame limit from the server that upgrades a socket, so a path with its own
   * limit is upgraded by a twin of the gateway's server; the socket (and the response
   * headers, which gateways may add to) still go to the gateway's server.
   */
  private upgraderFor(server: WebSocketServer, maxPayload: number | undefined): WebSocketServer {
    if (maxPayload === undefined || maxPayload === server.options.maxPayload) return server;
    let twins = this.twins.get(server);
    if (!twins) this.twins.set(server, (twins = new Map()));
    let twin = twins.get(maxPayload);
    if (!twin) {
      twin = new WebSocketServer({ ...server.options, maxPayload, noServer: true });
      twin.on('headers', (headers, request) => server.emit('headers', headers, request));
      twins.set(maxPayload, twin);
    }
    return twin;
  }

  private matcherFor(path: string): MatchFunction<UpgradeParams> {
    let matcher = this.matchers.get(path);
    if (!matcher) {
      matcher = match<UpgradeParams>(path, { decode: decodeURIComponent });
      this.matchers.set(path, matcher);
    }
    return matcher;
  }
}

/**
 * Shared by every upgrading socket: a closure made in the upgrade would hold the request, its
 * headers and the first bytes for as long as the websocket lives.
 */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function refuse(socket: Duplex, refusal: UpgradeRefusal): void {
  if (!socket.writable) return void socket.destroy();
  const body = `${refusal.message}\n`;
  const headers = {
    Connection: 'close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...refusal.headers,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  const reason = STATUS_TEXT[refusal.status] ?? 'Error';
  socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r\n${head}\r\n\r\n${body}`);
}
