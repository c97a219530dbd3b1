import { RoutablePeer } from './routable-peer';

/** The built-in group every repeater belongs to: each event reaches exactly one repeater. */
export const REPEATER_GROUP = '#repeaters';

const NO_ROOMS: ReadonlySet<string> = new Set();

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

  /** When the last member left (ms since the epoch); 0 while it has members. */
  memberlessSince = 0;

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
    return this.memberRooms.get(member) ?? NO_ROOMS;
  }

  /** True when `member` holds `room` itself or every room through `*`. */
  isMemberFor(member: P, room: string): boolean {
    const rooms = this.memberRooms.get(member);
    return rooms !== undefined && (rooms.has(room) || rooms.has('*'));
  }

  /** A durable group holds a room even before any member asks for it. Returns true when new. */
  hold(room: string): boolean {
    if (this.membersByRoom.has(room)) return false;
    this.membersByRoom.set(room, []);
    return true;
  }

  /** A room no member holds any more stops being held (a durable group's). True when released. */
  release(room: string): boolean {
    if (this.membersByRoom.get(room)?.length !== 0) return false;
    this.membersByRoom.delete(room);
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

  /** True when some member could take an event now. */
  anyMemberCanTake(): boolean {
    for (const member of this.memberRooms.keys()) if (member.canTake) return true;
    return false;
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
   * One member holding `room`, round robin, that is not `except`, is local when asked,
   * may receive `eventRoom` (the event's own room, when `room` is `*`) and can take an
   * event now; undefined when none does.
   * (Parameters, not a predicate: this runs for every event and group, and a closure per
   * call would be garbage per event.)
   */
  pick(
    room: string,
    except: RoutablePeer | undefined,
    localOnly: boolean,
    eventRoom = room,
  ): P | undefined {
    const members = this.membersByRoom.get(room);
    if (!members || members.length === 0) return undefined;
    for (let tried = 0; tried < members.length; tried++) {
      const member = members[this.cursor++ % members.length];
      if (member === except || (localOnly && member.kind === 'hub')) continue;
      if (member.canTake && member.mayGet(eventRoom)) return member;
    }
    return undefined;
  }
}
