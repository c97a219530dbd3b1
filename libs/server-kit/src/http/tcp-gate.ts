import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

export interface TcpGateOptions {
  /** Most open TCP connections in all (websockets, HTTP requests and sockets that say nothing). */
  maxConnections: number;
  /** Most open TCP connections from one IP address. */
  maxConnectionsPerAddress: number;
  /** A connection whose request (or upgrade) headers take longer than this is closed. */
  headersTimeoutMs: number;
  /** A connection that sends nothing for this long before it upgrades is closed. */
  idleTimeoutMs: number;
}

/** Above the websocket limits, HTTP requests (status, metrics, health probes) still get in. */
const HTTP_SLACK = 16;

/**
 * Bounds what a client can hold open before it is a websocket peer: every TCP connection
 * counts against the connection limits from the moment it is accepted (so sockets that
 * never send a byte cannot pile up), headers must arrive in time, and an idle connection
 * is closed. A socket that upgrades leaves the idle timer: keepalive judges it from then on.
 */
export function gateTcpConnections(server: Server, options: TcpGateOptions): void {
  const byAddress = new Map<string, number>();
  const headerDeadlines = new WeakMap<Socket, NodeJS.Timeout>();
  let open = 0;
  // Deleted once cleared: a websocket lives for days, and a spent timer on it is memory.
  const headersArrived = (socket: Socket) => {
    clearTimeout(headerDeadlines.get(socket));
    headerDeadlines.delete(socket);
  };
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const fromAddress = (byAddress.get(address) ?? 0) + 1;
    if (
      open >= options.maxConnections + HTTP_SLACK ||
      fromAddress > options.maxConnectionsPerAddress + HTTP_SLACK
    ) {
      socket.destroy();
      return;
    }
    open++;
    byAddress.set(address, fromAddress);
    socket.setTimeout(options.idleTimeoutMs, destroyIdleSocket);
    // Node checks its own headersTimeout only every 30 s; a slow sender is cut off on time here.
    const deadline = setTimeout(() => socket.destroy(), options.headersTimeoutMs);
    deadline.unref();
    headerDeadlines.set(socket, deadline);
    socket.once('close', () => {
      headersArrived(socket);
      open--;
      const left = (byAddress.get(address) ?? 1) - 1;
      if (left > 0) byAddress.set(address, left);
      else byAddress.delete(address);
    });
  });
  server.prependListener('request', (request: IncomingMessage) => headersArrived(request.socket));
  server.prependListener('upgrade', (_request: IncomingMessage, socket: Socket) => {
    headersArrived(socket);
    socket.setTimeout(0, destroyIdleSocket);
  });
}

/** One listener for every socket: a closure per socket would outlive the upgrade. */
function destroyIdleSocket(this: Socket): void {
  this.destroy();
}
