import { Injectable } from '@nestjs/common';
import { WILDCARD_ROOM } from '@ces/protocol';
import { ConsumerGroup, REPEATER_GROUP } from './consumer-group';
import { RoutablePeer } from './routable-peer';

const NO_PEERS: ReadonlySet<never> = new Set();

/**
 * Who listens to what: room → subscribers (`*` included as a room of its own),
 * consumer groups by room, and the linked hubs. Pure and synchronous: no sockets here.
 */
@Injectable()
export class SubscriptionRegistry<P extends RoutablePeer = RoutablePeer> {
  private readonly subscribersByRoom = new Map<string, Set<P>>();
  private readonly roomsByPeer = new Map<P, Set<string>>();
  private readonly groupsByName = new Map<string, ConsumerGroup<P>>();
  private readonly groupsByRoom = new Map<string, Set<ConsumerGroup<P>>>();
  private readonly groupsByPeer = new Map<P, Set<ConsumerGroup<P>>>();
  private readonly hubs = new Set<P>();

  constructor() {
    // Repeaters take every room, and keep events while none is connected.
    const repeaters = this.ensureGroup(REPEATER_GROUP, true);
    repeaters.hold(WILDCARD_ROOM);
    this.groupsByRoom.set(WILDCARD_ROOM, new Set([repeaters]));
  }

  /** Subscribers without a group, of one room (`*` gives those of every room). */
  subscribersOf(room: string): ReadonlySet<P> {
    return this.subscribersByRoom.get(room) ?? NO_PEERS;
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

  get linkedHubs(): ReadonlySet<P> {
    return this.hubs;
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

  /** Adds a peer that takes part in routing as soon as it connects (repeaters and hubs). */
  addPeer(peer: P): void {
    if (peer.kind === 'hub') this.hubs.add(peer);
    if (peer.kind === 'repeater') this.joinGroup(peer, this.repeaters, [WILDCARD_ROOM]);
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
      if (!subscribers) this.subscribersByRoom.set(room, (subscribers = new Set()));
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
      if (subscribers.size === 0) this.subscribersByRoom.delete(room);
    }
    if (held.size === 0) this.roomsByPeer.delete(peer);
  }

  /**
   * The groups this hub has members of (or keeps durably), as told to linked hubs:
   * group → rooms. The repeaters' group stays local: each hub serves its own repeaters.
   */
  localGroups(): Record<string, { rooms: string[]; durable: boolean }> {
    const groups: Record<string, { rooms: string[]; durable: boolean }> = {};
    for (const group of this.groupsByName.values()) {
      if (group.name === REPEATER_GROUP) continue;
      const rooms = group.roomsWhere((member) => member.kind !== 'hub');
      if (rooms.length > 0) groups[group.name] = { rooms, durable: group.localDurable };
    }
    return groups;
  }

  /** Makes a linked hub a member of exactly the groups it says it has members of. */
  setRemoteGroups(hub: P, groups: Record<string, { rooms: string[]; durable: boolean }>): void {
    for (const group of [...this.groupsOfPeer(hub)]) this.leaveGroup(hub, group);
    for (const [name, { rooms, durable }] of Object.entries(groups)) {
      if (name === REPEATER_GROUP) continue;
      this.joinGroup(hub, this.ensureGroup(name, durable), rooms);
    }
  }

  /** Forgets a peer entirely: its rooms, its group memberships, its link. */
  removePeer(peer: P): void {
    this.unsubscribe(peer, []);
    for (const group of [...this.groupsOfPeer(peer)]) this.leaveGroup(peer, group);
    this.hubs.delete(peer);
  }

  private ensureGroup(name: string, durable: boolean): ConsumerGroup<P> {
    let group = this.groupsByName.get(name);
    if (!group) this.groupsByName.set(name, (group = new ConsumerGroup<P>(name, durable)));
    else if (durable) group.durable = true;
    return group;
  }

  private joinGroup(peer: P, group: ConsumerGroup<P>, rooms: Iterable<string>): void {
    for (const room of rooms) {
      if (!group.add(peer, room)) continue;
      let groups = this.groupsByRoom.get(room);
      if (!groups) this.groupsByRoom.set(room, (groups = new Set()));
      groups.add(group);
    }
    let groups = this.groupsByPeer.get(peer);
    if (!groups) this.groupsByPeer.set(peer, (groups = new Set()));
    groups.add(group);
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
    if (group.memberCount === 0 && !group.durable) this.groupsByName.delete(group.name);
  }
}
