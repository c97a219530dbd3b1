import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import {
  CloseCodes,
  encodeGroupAdvertisement,
  encodeInterestMessages,
  InterestChange,
  LinkGroups,
} from '@ces/protocol';
import { RoutablePeer } from '../routing/routable-peer';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { LinkInterest, LinkInterestView } from './link-interest';

/** What the link registry needs of a hub link. */
export interface LinkPeer extends RoutablePeer {
  /** The other hub's id; undefined for an original Go hub, which sends none. */
  readonly remoteHubId?: string;
  /** Which end dialed: `out` is a link this hub dialed to an address it was given. */
  readonly direction?: 'in' | 'out';
  readonly isOpen: boolean;
  sendControl(text: string): boolean;
  close(code: number, reason: string): void;
}

/** One open link and what the hub behind it wants: walked by routing for every event. */
export interface OpenLink<P> {
  readonly peer: P;
  readonly interest: LinkInterest;
}

/**
 * For an event from another hub, the groups it asks us to deliver to: the names it sent
 * before the event, or every local group when it is a hub that knows nothing of groups.
 */
export type GroupsFromHub = ReadonlySet<string> | 'all';

const NO_GROUPS: ReadonlySet<string> = new Set();

/** Told what each link wants as it changes. */
export interface LinkInterestWatcher<P> {
  /**
   * When a link opens, after each interest message (`touched`: the rooms it named) and when
   * it closes (`interest` undefined).
   */
  changed(peer: P, interest: LinkInterest | undefined, touched?: readonly string[]): void;
}

/**
 * The open links to other hubs, by the other hub's id. It decides which link a pair of
 * hubs keeps. A socket that comes in claiming the id of a hub we have an open link to is
 * refused, so a claim can never evict a working link. When a link this hub dialed opens
 * while one from that hub is open (both dialed at once), both hubs keep the one dialed by
 * the smaller id, so they agree without talking about it. It also tells our linked hubs
 * which groups we have members of and which rooms we have subscribers for, and remembers
 * what each asked us to deliver and which rooms each wants.
 */
@Injectable()
export class LinkRegistry<P extends LinkPeer = LinkPeer> {
  private readonly links = new Set<P>();
  private readonly byRemoteId = new Map<string, P>();
  private readonly asked = new Map<P, ReadonlySet<string>>();
  /** An array, so the event path walks it without allocating an iterator. */
  private readonly openLinks: OpenLink<P>[] = [];
  private advertisementPending = false;
  /** Rooms whose local interest changed this turn, told to our links at its end. */
  private readonly interestChanged = new Set<string>();
  /** Events skipped by links that have since closed: the total only grows. */
  private skippedByClosedLinks = 0;
  private readonly interestWatchers: LinkInterestWatcher<P>[] = [];

  constructor(
    @Inject(HUB_CONFIG) private readonly hub: Pick<HubConfig, 'hubId' | 'linkInterest'>,
    private readonly registry: SubscriptionRegistry<P>,
  ) {
    if (hub.linkInterest) registry.watchRoomInterest((room) => this.roomInterestChanged(room));
  }

  watchLinkInterest(watcher: LinkInterestWatcher<P>): void {
    this.interestWatchers.push(watcher);
  }

  /** Every open link, original Go hubs' included. */
  get all(): ReadonlySet<P> {
    return this.links;
  }

  /** Every open link with its interest, for routing. */
  get open(): readonly OpenLink<P>[] {
    return this.openLinks;
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
    const interest = new LinkInterest();
    this.openLinks.push({ peer, interest });
    if (remoteId !== undefined) this.advertiseTo(peer);
    this.tellInterestWatchers(peer, interest);
    return { admitted: true, evicted };
  }

  remove(peer: P): void {
    if (!this.links.delete(peer)) return;
    const index = this.openLinks.findIndex((link) => link.peer === peer);
    this.skippedByClosedLinks += this.openLinks[index].interest.eventsSkipped;
    this.openLinks.splice(index, 1);
    this.asked.delete(peer);
    const remoteId = peer.remoteHubId;
    if (remoteId !== undefined && this.byRemoteId.get(remoteId) === peer)
      this.byRemoteId.delete(remoteId);
    this.tellInterestWatchers(peer, undefined);
  }

  /** `{"groups": …}` from a linked hub: it is a member of exactly these groups. */
  receiveAdvertisement(peer: P, groups: LinkGroups): void {
    if (this.links.has(peer)) this.registry.setRemoteGroups(peer, groups);
  }

  /** `{"interest": …}` from a linked hub: rooms it gained or lost subscribers of. */
  receiveInterest(peer: P, change: InterestChange): void {
    const interest = this.hub.linkInterest ? this.interestOf(peer) : undefined;
    if (!interest) return;
    interest.apply(change);
    this.tellInterestWatchers(peer, interest, [...change.add, ...change.remove]);
  }

  /** An interest message we could not read: that link is sent every event from now on. */
  interestUnreadable(peer: P): void {
    const interest = this.interestOf(peer);
    if (!interest) return;
    interest.giveUp();
    this.tellInterestWatchers(peer, interest);
  }

  /** What /status shows of the open link to `remoteHubId`. */
  interestView(remoteHubId: string): LinkInterestView | undefined {
    const peer = this.byRemoteId.get(remoteHubId);
    return peer && this.interestOf(peer)?.view();
  }

  /** Events not sent over a link because the hub behind it did not want their room. */
  get eventsSkipped(): number {
    let total = this.skippedByClosedLinks;
    for (const link of this.openLinks) total += link.interest.eventsSkipped;
    return total;
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

  private tellInterestWatchers(
    peer: P,
    interest: LinkInterest | undefined,
    touched?: readonly string[],
  ): void {
    for (const watcher of this.interestWatchers) watcher.changed(peer, interest, touched);
  }

  private advertiseTo(peer: P): void {
    peer.sendControl(encodeGroupAdvertisement(this.registry.localGroups()));
    if (!this.hub.linkInterest) return;
    const rooms = [...this.registry.subscribedRooms];
    this.sendInterest(peer, encodeInterestMessages(rooms, [], true));
  }

  private interestOf(peer: P): LinkInterest | undefined {
    for (const link of this.openLinks) if (link.peer === peer) return link.interest;
    return undefined;
  }

  /**
   * A room gained its first local subscriber or lost its last. Told to our links in the
   * same turn of the event loop, at its end (a microtask): a subscription of many rooms
   * becomes one message, and a room joined and left within the turn is told as a removal.
   */
  private roomInterestChanged(room: string): void {
    if (this.byRemoteId.size === 0) return;
    if (this.interestChanged.size === 0) queueMicrotask(() => this.tellInterest());
    this.interestChanged.add(room);
  }

  private tellInterest(): void {
    const add: string[] = [];
    const remove: string[] = [];
    // What holds now, whatever happened in between: a room joined and left is a removal.
    for (const room of this.interestChanged)
      (this.registry.subscribersOf(room).size > 0 ? add : remove).push(room);
    this.interestChanged.clear();
    const messages = encodeInterestMessages(add, remove);
    for (const peer of this.byRemoteId.values()) this.sendInterest(peer, messages);
  }

  /**
   * A change the other hub missed would make it withhold events we want: a link that
   * cannot take one (its queue is over budget) is closed, and starts afresh when redialed.
   */
  private sendInterest(peer: P, messages: readonly string[]): void {
    for (const text of messages) {
      if (peer.sendControl(text)) continue;
      peer.close(CloseCodes.slowConsumer, 'link missed an interest change');
      return;
    }
  }
}
