import { PeerKind } from '@ces/protocol';

/** What routing needs to know of a peer: nothing about its socket. */
export interface RoutablePeer {
  readonly id: string;
  readonly kind: PeerKind;
}
