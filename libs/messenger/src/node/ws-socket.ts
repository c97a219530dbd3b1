import { WebSocket } from 'ws';
import { DialOptions, HubSocket, HubSocketHandlers } from '../core/hub-socket';

/** Dials a hub with `ws`: the token as a bearer header, no compression, pings reported. */
export function dialWithWs(options: DialOptions, handlers: HubSocketHandlers): HubSocket {
  const socket = new WebSocket(options.url, {
    headers: options.token ? { authorization: `Bearer ${options.token}` } : undefined,
    perMessageDeflate: false,
    handshakeTimeout: options.handshakeTimeoutMs,
  });
  socket.on('open', () => handlers.open());
  socket.on('message', (data: Buffer, isBinary: boolean) =>
    handlers.message(isBinary ? data : data.toString('utf8')),
  );
  socket.on('ping', () => handlers.alive());
  socket.on('pong', () => handlers.alive());
  socket.on('error', (error: Error) => handlers.error(error));
  socket.on('unexpected-response', (_request, response) => {
    handlers.error(new Error(`hub refused the connection: HTTP ${response.statusCode}`));
    socket.terminate();
  });
  socket.on('close', () => handlers.closed());
  return {
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    get isOpen() {
      return socket.readyState === WebSocket.OPEN;
    },
    send: (data) => socket.send(data, { binary: typeof data !== 'string' }),
    close: (reason) => {
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else if (socket.readyState === WebSocket.OPEN) socket.close(1000, reason);
    },
    terminate: () => socket.terminate(),
  };
}
