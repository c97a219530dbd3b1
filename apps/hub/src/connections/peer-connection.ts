import { PeerKind } from '@ces/protocol';
import { PeerGrants } from '@ces/server-kit';
import { ConfirmSession } from '../confirms/confirm-session';
import { TokenBucket } from '../limits/token-bucket';
import { RoutablePeer } from '../routing/routable-peer';
import { PeerSocket } from '../transport/peer-socket';

/** Who a peer is, as the connect request told us. */
export interface PeerIdentity {
  id: string;
  kind: PeerKind;
  remoteAddress: string;
  /** The remote IP, which the per-address connection limit counts by. */
  remoteIp: string;
  /** For hub links: the other hub's id, when it told us. */
  remoteHubId?: string;
  /** For hub links: which end dialed. */
  direction?: 'in' | 'out';
  /** The name the client gave itself, if any. */
  name?: string;
}

let peersCreated = 0;

/**
 * One connected peer: its identity, its rights, its socket and the counters /status
 * shows for it. The routing state of the peer (rooms, groups) lives in the registry.
 */
export class PeerConnection implements RoutablePeer {
  /** When the peer connected (ms since the epoch): a number, not a Date object per peer. */
  readonly connectedAt = Date.now();
  /** Numbers peers in the order they connected; spreads them over the keepalive's slices. */
  readonly serial = peersCreated++;
  readonly id: string;
  readonly kind: PeerKind;
  readonly remoteAddress: string;
  readonly remoteIp: string;
  readonly remoteHubId?: string;
  readonly direction?: 'in' | 'out';
  readonly name?: string;
  eventsIn = 0;
  rejected = 0;
  /** Payload bytes of every frame received (events and control messages alike). */
  bytesIn = 0;
  /** Hub links: frames over the event frame limit that were dropped (the link stays up). */
  droppedTooLarge = 0;
  /** Keepalive: pings sent since the peer was last heard from. */
  missedPings = 0;
  /** When the peer last answered a ping (ms since the epoch). */
  lastPongAt = 0;
  /** Rooms this peer may publish into; undefined means every room. */
  readonly mayPublish?: (room: string) => boolean;
  /** Rooms this peer may receive; undefined means every room. */
  readonly mayReceive?: (room: string) => boolean;
  /** When the peer's credential expires (ms since the epoch), if it does. */
  readonly expiresAt?: number;
  /** Asked for positioned frames of history rooms (a subscription's `positions: true`). */
  positions = false;
  /** Publish and control-message rate limit; undefined when off. */
  publishBucket?: TokenBucket;
  /** Publish confirms, once the messenger asked for them on this connection. */
  confirms?: ConfirmSession;

  constructor(
    identity: PeerIdentity,
    readonly socket: PeerSocket,
    grants?: PeerGrants,
  ) {
    this.id = identity.id;
    this.kind = identity.kind;
    this.remoteAddress = identity.remoteAddress;
    this.remoteIp = identity.remoteIp;
    this.remoteHubId = identity.remoteHubId;
    this.direction = identity.direction;
    this.name = identity.name;
    this.mayPublish = grants?.mayPublish;
    this.mayReceive = grants?.maySubscribe;
    this.expiresAt = grants?.expiresAt;
  }

  get isOpen(): boolean {
    return this.socket.isOpen;
  }

  /** Open, within its send budget. */
  get canTake(): boolean {
    return this.socket.hasRoom;
  }

  get eventsOut(): number {
    return this.socket.eventsSent;
  }

  get bytesOut(): number {
    return this.socket.bytesSent;
  }

  get dropped(): number {
    const { events, control, pongs } = this.socket.dropped;
    return events + control + pongs;
  }

  /** True when the peer's rights let it receive an event of `room`. */
  mayGet(room: string): boolean {
    return this.mayReceive === undefined || this.mayReceive(room);
  }

  /** Sends a text control frame within the peer's send budget; false when it was dropped. */
  sendControl(text: string): boolean {
    return this.socket.sendControl(text);
  }

  /** Closes the socket with a code; a peer that does not take the close frame is cut off. */
  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** Sends a short error frame; best effort, within the budget. */
  sendError(message: string, details: { field: string; errors: string[] }[] = []): void {
    this.socket.sendControl(JSON.stringify({ error: message, details }));
  }
}
