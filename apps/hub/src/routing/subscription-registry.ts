import { Injectable } from '@nestjs/common';
import { LinkGroup, LinkGroups, WILDCARD_ROOM } from '@ces/protocol';
import { ConsumerGroup, REPEATER_GROUP } from './consumer-group';
import { RoutablePeer } from './routable-peer';

const NO_PEERS: ReadonlySet<never> = new Set();

/**
 * Who listens to what: room → subscribers (`*` included as a room of its own) and
 * consumer groups by room, linked hubs being members of the groups they advertise.
 * Pure and synchronous: no sockets here.
 */
@Injectable()
export class SubscriptionRegistry<P extends RoutablePeer = RoutablePeer> {
  private readonly subscribersByRoom = new Map<string, Set<P>>();
  private readonly roomsByPeer = new Map<P, Set<string>>();
  private readonly groupsByName = new Map<string, ConsumerGroup<P>>();
  private readonly groupsByRoom = new Map<string, Set<ConsumerGroup<P>>>();
  private readonly groupsByPeer = new Map<P, Set<ConsumerGroup<P>>>();
  /**
   * Told, as it happens, when a room gains its first subscriber or loses its last: what the
   * hub's linked hubs (and its cluster) must hear of. Rooms held only in groups do not count;
   * groups are advertised on their own.
   */
  private readonly roomInterestListeners: ((room: string) => void)[] = [];
  /** Told, as it happens, when a group gains or loses a member or a room. */
  private readonly groupListeners: (() => void)[] = [];

  constructor() {
    // Repeaters take every room. The group keeps events while none is connected only once
    // durable delivery expects one (it sets `durable`): a hub without repeaters keeps nothing.
    const repeaters = this.ensureGroup(REPEATER_GROUP, false);
    repeaters.hold(WILDCARD_ROOM);
    this.groupsByRoom.set(WILDCARD_ROOM, new Set([repeaters]));
  }

  watchRoomInterest(listener: (room: string) => void): void {
    this.roomInterestListeners.push(listener);
  }

  watchGroups(listener: () => void): void {
    this.groupListeners.push(listener);
  }

  /** Subscribers without a group, of one room (`*` gives those of every room). */
  subscribersOf(room: string): ReadonlySet<P> {
    return this.subscribersByRoom.get(room) ?? NO_PEERS;
  }

  /** Every room with at least one subscriber outside a group, `*` included. */
  get subscribedRooms(): IterableIterator<string> {
    return this.subscribersByRoom.keys();
  }

  roomsOf(peer: P): ReadonlySet<string> {
    return this.roomsByPeer.get(peer) ?? NO_PEERS;
  }

  groupsOf(room: string): ReadonlySet<ConsumerGroup<P>> {
    return this.groupsByRoom.get(room) ?? NO_PEERS;
  }

  groupsOfPeer(peer: P): ReadonlySet<ConsumerGroup<P>> {
    return this.groupsByPeer.get(peer) ?? NO_PEERS;
  }

  group(name: string): ConsumerGroup<P> | undefined {
    return this.groupsByName.get(name);
  }

  get repeaters(): ConsumerGroup<P> {
    return this.groupsByName.get(REPEATER_GROUP)!;
  }

  /** Every consumer group, the repeaters' included. */
  get groups(): IterableIterator<ConsumerGroup<P>> {
    return this.groupsByName.values();
  }

  /** How many rooms a peer holds, as a subscriber and in its groups together. */
  roomCountOf(peer: P): number {
    let count = this.roomsOf(peer).size;
    for (const group of this.groupsOfPeer(peer)) count += group.roomsOf(peer).size;
    return count;
  }

  /** How many durable groups exist. */
  get durableGroupCount(): number {
    let count = 0;
    for (const group of this.groupsByName.values())
      if (group.durable && group.name !== REPEATER_GROUP) count++;
    return count;
  }

  /** Every room with at least one subscriber or group, and how many subscribers and groups it has. */
  roomCounts(): Map<string, { subscribers: number; groups: number }> {
    const counts = new Map<string, { subscribers: number; groups: number }>();
    for (const [room, peers] of this.subscribersByRoom)
      counts.set(room, { subscribers: peers.size, groups: 0 });
    for (const [room, groups] of this.groupsByRoom) {
      if (room === WILDCARD_ROOM && groups.size === 1 && groups.has(this.repeaters)) continue;
      const entry = counts.get(room) ?? { subscribers: 0, groups: 0 };
      entry.groups = groups.size;
      counts.set(room, entry);
    }
    return counts;
  }

  /** Repeaters are members of their group for every room from the moment they connect. */
  addRepeater(peer: P): void {
    this.joinGroup(peer, this.repeaters, [WILDCARD_ROOM]);
  }

  subscribe(peer: P, rooms: Iterable<string>, groupName?: string, durable = false): void {
    if (groupName !== undefined) {
      const group = this.ensureGroup(groupName, durable);
      if (durable && peer.kind !== 'hub') group.localDurable = true;
      this.joinGroup(peer, group, rooms);
      return;
    }
    let held = this.roomsByPeer.get(peer);
    if (!held) this.roomsByPeer.set(peer, (held = new Set()));
    for (const room of rooms) {
      held.add(room);
      let subscribers = this.subscribersByRoom.get(room);
      if (!subscribers) {
        this.subscribersByRoom.set(room, (subscribers = new Set()));
        this.roomInterestChanged(room);
      }
      subscribers.add(peer);
    }
  }

  /** Removes rooms, or every room of the peer (and of that group, when named) when `rooms` is empty. */
  unsubscribe(peer: P, rooms: readonly string[], groupName?: string): void {
    if (groupName !== undefined) {
      const group = this.groupsByName.get(groupName);
      if (group) this.leaveGroup(peer, group, rooms.length > 0 ? rooms : undefined);
      return;
    }
    const held = this.roomsByPeer.get(peer);
    if (!held) return;
    for (const room of rooms.length > 0 ? rooms : [...held]) {
      if (!held.delete(room)) continue;
      const subscribers = this.subscribersByRoom.get(room)!;
      subscribers.delete(peer);
      if (subscribers.size > 0) continue;
      this.subscribersByRoom.delete(room);
      this.roomInterestChanged(room);
    }
    if (held.size === 0) this.roomsByPeer.delete(peer);
  }

  /**
   * The groups this hub has members of (or keeps durably), as told to linked hubs:
   * group → rooms. The repeaters' group stays local: each hub serves its own repeaters.
   */
  localGroups(): LinkGroups {
    const groups = new Map<string, LinkGroup>();
    for (const group of this.groupsByName.values()) {
      if (group.name === REPEATER_GROUP) continue;
      const rooms = group.roomsWhere((member) => member.kind !== 'hub');
      if (rooms.length > 0) groups.set(group.name, { rooms, durable: group.localDurable });
    }
    return groups;
  }

  /** Makes a linked hub a member of exactly the groups it says it has members of. */
  setRemoteGroups(hub: P, groups: LinkGroups): void {
    for (const group of [...this.groupsOfPeer(hub)]) this.leaveGroup(hub, group);
    for (const [name, { rooms, durable }] of groups) {
      if (name.startsWith('#')) continue;
      this.joinGroup(hub, this.ensureGroup(name, durable), rooms);
    }
  }

  /** Forgets a peer entirely: its rooms and its group memberships. */
  removePeer(peer: P): void {
    this.unsubscribe(peer, []);
    for (const group of [...this.groupsOfPeer(peer)]) this.leaveGroup(peer, group);
  }

  /** A durable group stops holding those of `rooms` no member holds (it keeps no events for them). */
  releaseRooms(group: ConsumerGroup<P>, rooms: readonly string[]): void {
    for (const room of rooms) {
      if (!group.release(room)) continue;
      const groups = this.groupsByRoom.get(room);
      groups?.delete(group);
      if (groups?.size === 0) this.groupsByRoom.delete(room);
    }
    this.groupsChanged();
  }

  /** Forgets a durable group that has no member (it expired). */
  forgetGroup(group: ConsumerGroup<P>): void {
    if (group.memberCount > 0 || group.name === REPEATER_GROUP) return;
    for (const room of [...group.rooms]) {
      const groups = this.groupsByRoom.get(room);
      groups?.delete(group);
      if (groups?.size === 0) this.groupsByRoom.delete(room);
    }
    this.groupsByName.delete(group.name);
    this.groupsChanged();
  }

  private roomInterestChanged(room: string): void {
    for (const listener of this.roomInterestListeners) listener(room);
  }

  private groupsChanged(): void {
    for (const listener of this.groupListeners) listener();
  }

  private ensureGroup(name: string, durable: boolean): ConsumerGroup<P> {
    let group = this.groupsByName.get(name);
    if (!group) this.groupsByName.set(name, (group = new ConsumerGroup<P>(name, durable)));
    else if (durable) group.durable = true;
    return group;
  }

  private joinGroup(peer: P, group: ConsumerGroup<P>, rooms: Iterable<string>): void {
    group.memberlessSince = 0;
    for (const room of rooms) {
      if (!group.add(peer, room)) continue;
      let groups = this.groupsByRoom.get(room);
      if (!groups) this.groupsByRoom.set(room, (groups = new Set()));
      groups.add(group);
    }
    let groups = this.groupsByPeer.get(peer);
    if (!groups) this.groupsByPeer.set(peer, (groups = new Set()));
    groups.add(group);
    this.groupsChanged();
  }

  private leaveGroup(peer: P, group: ConsumerGroup<P>, rooms?: readonly string[]): void {
    for (const room of group.remove(peer, rooms)) {
      const groups = this.groupsByRoom.get(room);
      groups?.delete(group);
      if (groups?.size === 0) this.groupsByRoom.delete(room);
    }
    if (group.roomsOf(peer).size === 0) {
      this.groupsByPeer.get(peer)?.delete(group);
      if (this.groupsByPeer.get(peer)?.size === 0) this.groupsByPeer.delete(peer);
    }
    this.groupsChanged();
    if (group.memberCount > 0 || group.name === REPEATER_GROUP) return;
    if (group.durable) group.memberlessSince ||= Date.now();
    else this.groupsByName.delete(group.name);
  }
}
