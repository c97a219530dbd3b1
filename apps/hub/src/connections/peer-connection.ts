import { PeerKind } from '@ces/protocol';
import { WebSocket } from 'ws';
import { PeerGrants } from '@ces/server-kit';
import { TokenBucket } from '../limits/token-bucket';
import { RoutablePeer } from '../routing/routable-peer';
import { WireFrame, writeFrame } from '../transport/frame-writer';

const BINARY = { binary: true } as const;

/** A durable group's event waiting for its member's acknowledgement. */
export interface UnackedEvent {
  sequence: number;
  group: string;
  room: string;
  frame: Buffer;
  deliveredAt: number;
}

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
  /** Rooms this peer may publish into; undefined means every room. */
  mayPublish?: (room: string) => boolean;
  /** Rooms this peer may subscribe to; undefined means every room. */
  maySubscribe?: (room: string) => boolean;
  /** From a linked hub of ours: the groups its next event is for (it picked us for them). */
  pendingGroups?: ReadonlySet<string>;
  /** Durable-group events delivered and not yet acknowledged, oldest first. */
  readonly unacked: UnackedEvent[] = [];
  /** Publish rate limit; undefined when off. */
  publishBucket?: TokenBucket;

  constructor(
    readonly id: string,
    readonly kind: PeerKind,
    readonly socket: WebSocket,
    readonly remoteAddress: string,
    /** The remote IP, which the per-address connection limit counts by. */
    readonly remoteIp: string,
    grants?: PeerGrants,
  ) {
    this.mayPublish = grants?.mayPublish;
    this.maySubscribe = grants?.maySubscribe;
  }

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
    if (this.direction === 'out') this.socket.send(payload, BINARY);
    else writeFrame(this.socket, frame);
    this.eventsOut++;
    return true;
  }

  /** Sends a text control frame (error reports); best effort. */
  sendText(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }
}
