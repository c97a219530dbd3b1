import { PeerKind } from '@ces/protocol';

/** What routing needs to know of a peer: nothing about its socket. */
export interface RoutablePeer {
  readonly id: string;
  readonly kind: PeerKind;
  /** Open and within its send budget: a group may pick it now. */
  readonly canTake: boolean;
  /** Whether the peer's rights let it receive an event of `room`. */
  mayGet(room: string): boolean;
}
