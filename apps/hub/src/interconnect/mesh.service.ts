import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { encodeMeshMembers, MeshMember } from '@ces/protocol';
import type { Server } from 'node:http';
import { isIP } from 'node:net';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { InterconnectService } from './interconnect.service';
import { LinkEvents } from './link-events';
import { LinkRegistry } from './link-registry';
import { MeshMembership } from './mesh-membership';

/** Hosts that say "every interface": no other hub can dial them. */
const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * The mesh from one address. Each hub tells its linked hubs of ours where it may be dialed
 * and which hubs it is linked to (when a link opens and whenever that changes); a hub that
 * hears of a member it has no link to dials it, so a hub given one member links to all.
 */
@Injectable()
export class MeshService implements OnApplicationBootstrap {
  private readonly membership = new MeshMembership();
  private announcementPending = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly links: LinkRegistry<PeerConnection>,
    private readonly interconnect: InterconnectService,
    private readonly adapterHost: HttpAdapterHost,
    events: LinkEvents,
  ) {
    events.listen({
      opened: (peer) => this.opened(peer),
      closed: (peer) => this.closed(peer),
      members: (peer, members) => this.received(peer, members),
    });
    interconnect.showAdvertisedAddresses((id) => this.membership.addressOf(id));
  }

  /** With an ephemeral port the address is known only once the hub listens: tell the mesh then. */
  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    server?.once('listening', () => this.announce());
  }

  /** Where other hubs may dial this one: HUB_ADVERTISE, or HUB_HOST and the port it listens on. */
  advertisedAddress(): string | undefined {
    if (this.config.mesh.advertise) return this.config.mesh.advertise;
    const host = this.config.host.trim();
    if (WILDCARD_HOSTS.has(host)) return undefined;
    const port = this.config.port || this.listeningPort();
    if (!port) return undefined;
    return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
  }

  private listeningPort(): number | undefined {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    const address = server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  private members(): MeshMember[] {
    const address = this.advertisedAddress();
    return this.membership.members(address ? { id: this.config.hubId, address } : undefined);
  }

  /** A new link to one of our hubs hears our list at once; an original Go hub never does. */
  private opened(peer: PeerConnection): void {
    if (peer.remoteHubId !== undefined) peer.sendControl(encodeMeshMembers(this.members()));
  }

  private closed(peer: PeerConnection): void {
    const id = peer.remoteHubId;
    if (id === undefined || this.links.conflictFor(id)) return;
    if (this.membership.linkClosed(id)) this.announce();
  }

  private received(peer: PeerConnection, members: MeshMember[]): void {
    const from = peer.remoteHubId;
    if (from === undefined || !this.links.all.has(peer)) return;
    const { changed, toDial } = this.membership.receive(from, members, {
      id: this.config.hubId,
      address: this.advertisedAddress(),
      isLinked: (id) => this.links.conflictFor(id) !== undefined || this.interconnect.dials(id),
    });
    if (changed) this.announce();
    for (const member of toDial) this.interconnect.learn(member.id, member.address);
  }

  /** Tells every linked hub of ours the new list, once this turn of the event loop is over. */
  private announce(): void {
    if (this.announcementPending) return;
    this.announcementPending = true;
    setImmediate(() => {
      this.announcementPending = false;
      const text = encodeMeshMembers(this.members());
      for (const peer of this.links.all) if (peer.remoteHubId !== undefined) peer.sendControl(text);
    });
  }
}
