import { DialOptions, HubSocket, HubSocketHandlers } from '../core/hub-socket';

/**
 * Dials a hub with the page's WebSocket. A browser cannot set headers on it, so a token goes
 * as the `token` query parameter, which the hub and the repeater also accept.
 */
export function dialWithBrowserWebSocket(
  options: DialOptions,
  handlers: HubSocketHandlers,
): HubSocket {
  const url = options.token
    ? `${options.url}${options.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(options.token)}`
    : options.url;
  const socket = new globalThis.WebSocket(url);
  socket.binaryType = 'arraybuffer';
  let closed = false;
  const handshake = setTimeout(() => {
    if (socket.readyState !== socket.CONNECTING) return;
    handlers.error(new Error(`no answer from the hub within ${options.handshakeTimeoutMs} ms`));
    socket.close();
  }, options.handshakeTimeoutMs);
  socket.onopen = () => {
    clearTimeout(handshake);
    handlers.open();
  };
  socket.onmessage = (message: MessageEvent) => {
    const data: unknown = message.data;
    handlers.message(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
  };
  // A browser tells a page nothing about why a socket failed.
  socket.onerror = () => handlers.error(new Error(`websocket error on ${options.url}`));
  socket.onclose = () => {
    clearTimeout(handshake);
    if (closed) return;
    closed = true;
    handlers.closed();
  };
  return {
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    get isOpen() {
      return socket.readyState === socket.OPEN;
    },
    send: (data) => socket.send(data),
    close: (reason) => socket.close(1000, reason),
    terminate: () => socket.close(),
  };
}
