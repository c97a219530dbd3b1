import { RoutablePeer } from './routable-peer';

/** The built-in group every repeater belongs to: each event reaches exactly one repeater. */
export const REPEATER_GROUP = '#repeaters';

/**
 * Consumers that share the events of their rooms: each event reaches one member
 * (round robin). Repeaters form one such group for every room.
 */
export class ConsumerGroup<P extends RoutablePeer> {
  private readonly membersByRoom = new Map<string, P[]>();
  private readonly memberRooms = new Map<P, Set<string>>();
  private cursor = 0;

  /** Made durable by a subscription on this hub (not only by another hub's word). */
  localDurable = false;

  constructor(
    readonly name: string,
    /** A durable group keeps its rooms, and events for them, while it has no member. */
    public durable = false,
  ) {}

  get memberCount(): number {
    return this.memberRooms.size;
  }

  get members(): IterableIterator<P> {
    return this.memberRooms.keys();
  }

  get rooms(): IterableIterator<string> {
    return this.membersByRoom.keys();
  }

  /** Rooms held by a member that `accepts`, or kept by a durable subscription made here. */
  roomsWhere(accepts: (member: P) => boolean): string[] {
    return [...this.membersByRoom]
      .filter(([, members]) => (this.localDurable && members.length === 0) || members.some(accepts))
      .map(([room]) => room);
  }

  hasRoom(room: string): boolean {
    return this.membersByRoom.has(room);
  }

  roomsOf(member: P): ReadonlySet<string> {
    return this.memberRooms.get(member) ?? new Set();
  }

  /** A durable group holds a room even before any member asks for it. Returns true when new. */
  hold(room: string): boolean {
    if (this.membersByRoom.has(room)) return false;
    this.membersByRoom.set(room, []);
    return true;
  }

  /** Returns true when `room` is new to the group. */
  add(member: P, room: string): boolean {
    let rooms = this.memberRooms.get(member);
    if (!rooms) this.memberRooms.set(member, (rooms = new Set()));
    if (rooms.has(room)) return false;
    rooms.add(room);
    const members = this.membersByRoom.get(room);
    if (members) members.push(member);
    else this.membersByRoom.set(room, [member]);
    return !members;
  }

  /** Returns the rooms no member (and, unless durable, nobody) holds any more. */
  remove(member: P, rooms?: Iterable<string>): string[] {
    const held = this.memberRooms.get(member);
    if (!held) return [];
    const released: string[] = [];
    for (const room of rooms ? [...rooms] : [...held]) {
      if (!held.delete(room)) continue;
      const members = this.membersByRoom.get(room)!;
      members.splice(members.indexOf(member), 1);
      if (members.length === 0 && !this.durable) {
        this.membersByRoom.delete(room);
        released.push(room);
      }
    }
    if (held.size === 0) this.memberRooms.delete(member);
    return released;
  }

  /**
   * True when a member other than `except` holds `room`; with `localOnly`, linked hubs
   * (members on behalf of their own members) do not count.
   */
  hasMemberFor(room: string, except?: RoutablePeer, localOnly = false): boolean {
    const members = this.membersByRoom.get(room);
    if (!members) return false;
    for (const member of members)
      if (member !== except && (!localOnly || member.kind !== 'hub')) return true;
    return false;
  }

  /**
   * One member holding `room`, round robin, that is not `except`, is local when asked, and
   * that `canTake` accepts; undefined when none does. (Parameters, not a predicate: this
   * runs for every event and group, and a closure per call would be garbage per event.)
   */
  pick(
    room: string,
    except: RoutablePeer | undefined,
    localOnly: boolean,
    canTake: (member: P) => boolean,
  ): P | undefined {
    const members = this.membersByRoom.get(room);
    if (!members || members.length === 0) return undefined;
    for (let tried = 0; tried < members.length; tried++) {
      const member = members[this.cursor++ % members.length];
      if (member !== except && (!localOnly || member.kind !== 'hub') && canTake(member))
        return member;
    }
    return undefined;
  }
}
