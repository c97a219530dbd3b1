import { WILDCARD_ROOM } from '@ces/protocol';

/** A durable group that wants an event, and the room of it that matched (the event's or `*`). */
export interface DirectoryTarget {
  readonly group: string;
  readonly heldRoom: string;
}

/** What one hub says of one durable group: the rooms its members hold (or it keeps holding). */
export interface DirectoryEntry {
  readonly group: string;
  readonly hub: string;
  readonly rooms: readonly string[];
}

interface HeldEntry extends DirectoryEntry {
  seenAt: number;
}

/**
 * The cluster's durable groups and their rooms, as the hubs wrote them (one entry per group
 * and hub, under a key of the caller's), turned into the table the hot path asks: room →
 * the durable groups that want its events. Groups match rooms as the routing table's do: a
 * group holding the room gets the event for that room; one holding only `*` gets it for
 * `*`; a group holding both gets it once, for the room. Pure; rebuilt on every change
 * (changes are rare, lookups are per event).
 */
export class GroupDirectory {
  private readonly entries = new Map<string, HeldEntry>();
  private byRoom = new Map<string, readonly DirectoryTarget[]>();
  private everyRoom: readonly DirectoryTarget[] | undefined;

  /** The durable groups that want an event of `room`; undefined when none does (one lookup). */
  targetsOf(room: string): readonly DirectoryTarget[] | undefined {
    return this.byRoom.get(room) ?? this.everyRoom;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Sets an entry, seen at `now`; the table changes only when its group or rooms did. */
  set(key: string, entry: DirectoryEntry, now: number): void {
    const previous = this.entries.get(key);
    const rooms = [...new Set(entry.rooms)].sort();
    this.entries.set(key, { group: entry.group, hub: entry.hub, rooms, seenAt: now });
    if (previous?.group === entry.group && sameRooms(previous.rooms, rooms)) return;
    this.rebuild();
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.rebuild();
  }

  /** Forgets entries last seen before `before` (a hub that died stops refreshing its own). */
  expire(before: number): string[] {
    const expired: string[] = [];
    for (const [key, entry] of this.entries) if (entry.seenAt < before) expired.push(key);
    for (const key of expired) this.entries.delete(key);
    if (expired.length > 0) this.rebuild();
    return expired;
  }

  /** Group → hubs → rooms, for /status. */
  view(): Record<string, Record<string, readonly string[]>> {
    const groups: Record<string, Record<string, readonly string[]>> = {};
    for (const { group, hub, rooms } of this.entries.values()) {
      groups[group] ??= {};
      groups[group][hub] = rooms;
    }
    return groups;
  }

  private rebuild(): void {
    const groupsByRoom = new Map<string, Set<string>>();
    for (const { group, rooms } of this.entries.values())
      for (const room of rooms) {
        let groups = groupsByRoom.get(room);
        if (!groups) groupsByRoom.set(room, (groups = new Set()));
        groups.add(group);
      }
    const ofAll = groupsByRoom.get(WILDCARD_ROOM) ?? new Set<string>();
    const everyRoom = [...ofAll].map((group) => ({ group, heldRoom: WILDCARD_ROOM }));
    const byRoom = new Map<string, readonly DirectoryTarget[]>();
    for (const [room, groups] of groupsByRoom) {
      if (room === WILDCARD_ROOM) continue;
      const targets: DirectoryTarget[] = [...groups].map((group) => ({ group, heldRoom: room }));
      for (const target of everyRoom) if (!groups.has(target.group)) targets.push(target);
      byRoom.set(room, targets);
    }
    this.byRoom = byRoom;
    this.everyRoom = everyRoom.length > 0 ? everyRoom : undefined;
  }
}

function sameRooms(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((room, i) => room === b[i]);
}

/**
 * The bucket key of a hub's entry for a group: both names in base64url (KV keys hold only
 * `A-Z a-z 0-9 - _ = . /`), so any group and hub id map to one key, and hubs never share one.
 */
export function directoryKey(group: string, hub: string): string {
  return `${base64url(group)}.${base64url(hub)}`;
}

/** The hub part of a key, as `directoryKey` wrote it. */
export function hubOfKey(key: string): string | undefined {
  const dot = key.indexOf('.');
  return dot < 0 ? undefined : Buffer.from(key.slice(dot + 1), 'base64url').toString('utf8');
}

/** A bucket value, checked: another hub's bytes are input like any other. */
export function parseDirectoryEntry(value: Uint8Array): DirectoryEntry | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value).toString('utf8')) as Partial<DirectoryEntry>;
    const { group, hub, rooms } = parsed;
    if (typeof group !== 'string' || typeof hub !== 'string' || !Array.isArray(rooms))
      return undefined;
    if (!rooms.every((room) => typeof room === 'string' && room.length > 0)) return undefined;
    return { group, hub, rooms };
  } catch {
    return undefined;
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
