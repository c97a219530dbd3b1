import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { encodeGroupAdvertisement, LinkGroups } from '@ces/protocol';
import { RoutablePeer } from '../routing/routable-peer';
import { SubscriptionRegistry } from '../routing/subscription-registry';

/** What the link registry needs of a hub link. */
export interface LinkPeer extends RoutablePeer {
  /** The other hub's id; undefined for an original Go hub, which sends none. */
  readonly remoteHubId?: string;
  /** Which end dialed: `out` is a link this hub dialed to an address it was given. */
  readonly direction?: 'in' | 'out';
  readonly isOpen: boolean;
  sendControl(text: string): boolean;
}

/**
 * For an event from another hub, the groups it asks us to deliver to: the names it sent
 * before the event, or every local group when it is a hub that knows nothing of groups.
 */
export type GroupsFromHub = ReadonlySet<string> | 'all';

const NO_GROUPS: ReadonlySet<string> = new Set();

/**
 * The open links to other hubs, by the other hub's id. It decides which link a pair of
 * hubs keeps. A socket that comes in claiming the id of a hub we have an open link to is
 * refused, so a claim can never evict a working link. When a link this hub dialed opens
 * while one from that hub is open (both dialed at once), both hubs keep the one dialed by
 * the smaller id, so they agree without talking about it. It also tells our linked hubs
 * which groups we have members of, and remembers what each asked us to deliver.
 */
@Injectable()
export class LinkRegistry<P extends LinkPeer = LinkPeer> {
  private readonly links = new Set<P>();
  private readonly byRemoteId = new Map<string, P>();
  private readonly asked = new Map<P, ReadonlySet<string>>();
  private advertisementPending = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly hub: Pick<HubConfig, 'hubId'>,
    private readonly registry: SubscriptionRegistry<P>,
  ) {}

  /** Every open link, original Go hubs' included. */
  get all(): ReadonlySet<P> {
    return this.links;
  }

  byId(remoteHubId: string): P | undefined {
    return this.byRemoteId.get(remoteHubId);
  }

  /** The open link that a new link claiming `remoteHubId` would duplicate, if any. */
  conflictFor(remoteHubId: string | undefined): P | undefined {
    if (remoteHubId === undefined) return undefined;
    const existing = this.byRemoteId.get(remoteHubId);
    return existing?.isOpen ? existing : undefined;
  }

  /**
   * Takes a link in. Refused (the caller closes it) when another link to the same hub is
   * open, except for the one case above: then the link the rule drops is either this one
   * (refused) or the other (returned as `evicted`, for the caller to close).
   */
  admit(peer: P): { admitted: boolean; evicted?: P } {
    const remoteId = peer.remoteHubId;
    let evicted: P | undefined;
    if (remoteId !== undefined) {
      const existing = this.conflictFor(remoteId);
      const dialedByUsWins = this.hub.hubId < remoteId;
      const crossed = peer.direction === 'out' && existing?.direction === 'in';
      if (existing && !(crossed && dialedByUsWins)) return { admitted: false };
      evicted = existing;
      if (evicted) this.remove(evicted);
      this.byRemoteId.set(remoteId, peer);
    }
    this.links.add(peer);
    if (remoteId !== undefined) this.advertiseTo(peer);
    return { admitted: true, evicted };
  }

  remove(peer: P): void {
    if (!this.links.delete(peer)) return;
    this.asked.delete(peer);
    const remoteId = peer.remoteHubId;
    if (remoteId !== undefined && this.byRemoteId.get(remoteId) === peer)
      this.byRemoteId.delete(remoteId);
  }

  /** `{"groups": …}` from a linked hub: it is a member of exactly these groups. */
  receiveAdvertisement(peer: P, groups: LinkGroups): void {
    if (this.links.has(peer)) this.registry.setRemoteGroups(peer, groups);
  }

  /** `{"deliver": [names]}` from a linked hub: its next event is for these groups. */
  receiveDeliver(peer: P, groups: readonly string[]): void {
    if (this.links.has(peer)) this.asked.set(peer, new Set(groups));
  }

  /** The groups the event that just came from `peer` is for (used once). */
  takeAsked(peer: P): GroupsFromHub {
    if (peer.remoteHubId === undefined) return 'all';
    const groups = this.asked.get(peer);
    if (groups === undefined) return NO_GROUPS;
    this.asked.delete(peer);
    return groups;
  }

  /** Our groups changed: tell every linked hub of ours, once this turn of the event loop is over. */
  groupsChanged(): void {
    if (this.advertisementPending) return;
    this.advertisementPending = true;
    setImmediate(() => {
      this.advertisementPending = false;
      const text = encodeGroupAdvertisement(this.registry.localGroups());
      for (const peer of this.byRemoteId.values()) peer.sendControl(text);
    });
  }

  private advertiseTo(peer: P): void {
    peer.sendControl(encodeGroupAdvertisement(this.registry.localGroups()));
  }
}
