import { WILDCARD_ROOM } from '@ces/protocol';

/** Where the rooms a link wants are held: reference counted with the hub's other holders. */
export interface RoomHolds {
  hold(room: string): void;
  release(room: string): void;
}

/** What one link wants, as its `LinkInterest` says it. */
export interface LinkWants {
  /** Every event: its interest is not known (yet, or ever: an original Go hub), `*`, or given up. */
  readonly everything: boolean;
  /** The rooms it told of, when not `everything`. */
  readonly rooms: ReadonlySet<string>;
}

interface Held {
  everything: boolean;
  readonly rooms: Set<string>;
}

/**
 * The rooms a cluster hub holds on the cluster for the hubs linked to it from outside (an
 * original Go hub, one of ours not in cluster mode), so that the cluster's events those
 * hubs want reach this hub to be passed on: every room (`*`) while a link wants everything,
 * else the rooms it told of; nothing once it is gone. Each link holds each of its rooms once;
 * `holds` counts them with the hub's own subscribers. Pure: `holds` owns the subscriptions.
 */
export class LinkBridgeInterest<L> {
  private readonly held = new Map<L, Held>();

  constructor(private readonly holds: RoomHolds) {}

  /**
   * `link` wants `wants` now. `touched`: the rooms whose wanting may have changed since the
   * last call (an interest message's); absent, every room is compared (the link opened, or
   * it turned to or from everything).
   */
  changed(link: L, wants: LinkWants, touched?: readonly string[]): void {
    let held = this.held.get(link);
    if (!held) this.held.set(link, (held = { everything: false, rooms: new Set() }));
    if (wants.everything) return this.holdEverything(held);
    const whole = touched === undefined || held.everything;
    this.syncRooms(held, wants.rooms, whole ? wants.rooms : touched);
    if (whole) this.dropUnwanted(held, wants.rooms);
    // Released after the rooms are held: a room wanted throughout is never dropped meanwhile.
    if (held.everything) {
      held.everything = false;
      this.holds.release(WILDCARD_ROOM);
    }
  }

  /** `link` closed: what it held goes. */
  closed(link: L): void {
    const held = this.held.get(link);
    if (!held) return;
    this.held.delete(link);
    if (held.everything) this.holds.release(WILDCARD_ROOM);
    for (const room of held.rooms) this.holds.release(room);
  }

  /** The links it holds rooms for. */
  get links(): number {
    return this.held.size;
  }

  private holdEverything(held: Held): void {
    if (held.everything) return;
    held.everything = true;
    this.holds.hold(WILDCARD_ROOM);
    for (const room of held.rooms) this.holds.release(room);
    held.rooms.clear();
  }

  /** Holds the rooms of `candidates` the link wants and does not hold; releases those it stopped wanting. */
  private syncRooms(held: Held, wanted: ReadonlySet<string>, candidates: Iterable<string>): void {
    for (const room of candidates) {
      const wants = wanted.has(room) && room !== WILDCARD_ROOM;
      if (wants && !held.rooms.has(room)) {
        held.rooms.add(room);
        this.holds.hold(room);
      } else if (!wants && held.rooms.delete(room)) this.holds.release(room);
    }
  }

  private dropUnwanted(held: Held, wanted: ReadonlySet<string>): void {
    for (const room of held.rooms) {
      if (wanted.has(room)) continue;
      held.rooms.delete(room);
      this.holds.release(room);
    }
  }
}
