import { Injectable } from '@nestjs/common';
import { MeshMember } from '@ces/protocol';
import { PeerConnection } from '../connections/peer-connection';

/** What the mesh hears of hub links from the services that own their sockets and frames. */
export interface LinkListener {
  /** A hub link was admitted (either direction). */
  opened(peer: PeerConnection): void;
  /** A hub link closed (after the link registry let go of it). */
  closed(peer: PeerConnection): void;
  /** A linked hub of ours sent its member list. */
  members(peer: PeerConnection, members: MeshMember[]): void;
}

/**
 * Hands hub-link happenings from ConnectionsService and ControlMessagesService to the mesh,
 * which depends on the services that dial: without this the two would need each other.
 */
@Injectable()
export class LinkEvents {
  private readonly listeners: LinkListener[] = [];

  listen(listener: LinkListener): void {
    this.listeners.push(listener);
  }

  opened(peer: PeerConnection): void {
    for (const listener of this.listeners) listener.opened(peer);
  }

  closed(peer: PeerConnection): void {
    for (const listener of this.listeners) listener.closed(peer);
  }

  members(peer: PeerConnection, members: MeshMember[]): void {
    for (const listener of this.listeners) listener.members(peer, members);
  }
}
