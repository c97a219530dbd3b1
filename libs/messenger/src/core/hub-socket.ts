/**
 * What the messenger needs of a websocket, so one core runs over Node's `ws` and over a
 * browser's WebSocket. A socket reports to the handlers it was dialled with.
 */
export interface HubSocket {
  /** Bytes accepted by `send` and not yet written to the network. */
  readonly bufferedAmount: number;
  readonly isOpen: boolean;
  /** Bytes go as a binary frame, a string as a text frame. */
  send(data: Uint8Array | string): void;
  /** A clean close (code 1000) of an open socket; gives up a handshake in progress. */
  close(reason: string): void;
  /** Drops the connection now, without a closing handshake where the platform allows it. */
  terminate(): void;
}

export interface HubSocketHandlers {
  open(): void;
  /** A binary frame as bytes, a text frame as a string. */
  message(data: Uint8Array | string): void;
  /** A sign of life without a frame: a ping or a pong, where the platform reports them. */
  alive(): void;
  error(error: Error): void;
  /** The socket is closed, whether it ever opened or not; called once. */
  closed(): void;
}

export interface DialOptions {
  /** The full connect URL: the hub's address, the kind's path and the client's name. */
  url: string;
  token?: string;
  handshakeTimeoutMs: number;
}

export type SocketFactory = (options: DialOptions, handlers: HubSocketHandlers) => HubSocket;
