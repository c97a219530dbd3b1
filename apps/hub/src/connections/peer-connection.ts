import { PeerKind } from '@ces/protocol';
import { WebSocket } from 'ws';
import { RoutablePeer } from '../routing/routable-peer';
import { WireFrame, writeFrame } from '../transport/frame-writer';

/** One websocket peer of the hub, with the counters /status shows for it. */
export class PeerConnection implements RoutablePeer {
  readonly connectedAt = new Date();
  eventsIn = 0;
  eventsOut = 0;
  dropped = 0;
  rejected = 0;
  /** Keepalive: pings sent since the peer was last heard from. */
  missedPings = 0;
  /** For hub links: the other hub's id, when it told us. */
  remoteHubId?: string;
  /** For hub links: which end dialed. */
  direction?: 'in' | 'out';

  constructor(
    readonly id: string,
    readonly kind: PeerKind,
    readonly socket: WebSocket,
    readonly remoteAddress: string,
  ) {}

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  get bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  /**
   * Sends an event unless the peer is closed or more than `highWater` bytes behind.
   * Sockets we accepted get the prebuilt frame; a link we dialed is a client socket,
   * whose frames must be masked each, so ws frames the payload for it.
   */
  trySend(frame: WireFrame, payload: Buffer, highWater: number): boolean {
    if (this.socket.readyState !== WebSocket.OPEN || this.socket.bufferedAmount > highWater) {
      this.dropped++;
      return false;
    }
    if (this.direction === 'out') this.socket.send(payload, { binary: true });
    else writeFrame(this.socket, frame);
    this.eventsOut++;
    return true;
  }

  /** Sends a text control frame (error reports); best effort. */
  sendText(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }
}
