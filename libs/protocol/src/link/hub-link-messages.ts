import { isBoundedString } from '../util/wire-values';

/**
 * Text frames our hubs exchange over a hub link. The original Go hub never sends them and
 * ignores text frames it cannot read as events, so a link to it carries events only.
 *
 * - `{"groups": {"billing": {"rooms": ["A"], "durable": true}}}`: the whole set of consumer
 *   groups the sending hub has members of (replaces what it said before).
 * - `{"deliver": ["billing"]}`: the next event frame on this link was given to the receiving
 *   hub for these groups; it delivers it to one local member of each.
 * - `{"interest": {"add": ["A", "*"], "remove": ["B"], "complete": true}}`: rooms the sending
 *   hub gained or lost local subscribers of (`*` for every room). The first messages of a
 *   link carry the whole set in `add`, the last of them with `complete`; until then the
 *   sending hub is sent every event, so none is missed while the set is on its way.
 */
export interface LinkGroup {
  rooms: string[];
  durable: boolean;
}

/** Group name → what the sending hub holds of it. A Map, so no name can collide with Object's keys. */
export type LinkGroups = ReadonlyMap<string, LinkGroup>;

/** A change of the rooms a linked hub has local subscribers for. */
export interface InterestChange {
  add: string[];
  remove: string[];
  /** The whole set has now been sent: from here on, send the hub only what it wants. */
  complete: boolean;
}

export type HubLinkMessage =
  | { type: 'groups'; groups: LinkGroups }
  | { type: 'deliver'; groups: string[] }
  | { type: 'interest'; change: InterestChange }
  /** An `interest` message that cannot be read: the sender's interest is no longer known. */
  | { type: 'invalid-interest' };

/** Bounds on what one message, and one link, can make a hub hold. */
export const LINK_MESSAGE_LIMITS = {
  maxGroups: 10_000,
  maxRoomsPerGroup: 100_000,
  /** Rooms in one interest message, `add` and `remove` together. */
  maxInterestRoomsPerMessage: 1000,
  /** The longest room an interest message may name (the hub's room limit is at most 4096 bytes). */
  maxInterestRoomLength: 4096,
  /** Rooms a hub keeps of one link's interest; beyond it, the link is sent every event. */
  maxInterestRoomsPerLink: 100_000,
} as const;

export function encodeGroupAdvertisement(groups: LinkGroups): string {
  const body: Record<string, LinkGroup> = {};
  for (const [name, group] of groups)
    Object.defineProperty(body, name, { value: group, enumerable: true, writable: true });
  return JSON.stringify({ groups: body });
}

export function encodeDeliver(groups: readonly string[]): string {
  return JSON.stringify({ deliver: groups });
}

export function encodeInterestChange(change: InterestChange): string {
  const body: Partial<InterestChange> = {};
  if (change.add.length > 0) body.add = change.add;
  if (change.remove.length > 0) body.remove = change.remove;
  if (change.complete) body.complete = true;
  return JSON.stringify({ interest: body });
}

/**
 * A change as interest messages within the per-message bound; `complete` goes on the last.
 * An empty change that completes the set is one message with no rooms.
 */
export function encodeInterestMessages(
  add: readonly string[],
  remove: readonly string[],
  complete = false,
): string[] {
  const max = LINK_MESSAGE_LIMITS.maxInterestRoomsPerMessage;
  const messages: string[] = [];
  const rooms = [
    ...add.map((room) => [true, room] as const),
    ...remove.map((r) => [false, r] as const),
  ];
  for (let start = 0; start < rooms.length || (complete && start === 0); start += max) {
    const chunk = rooms.slice(start, start + max);
    messages.push(
      encodeInterestChange({
        add: chunk.filter(([added]) => added).map(([, room]) => room),
        remove: chunk.filter(([added]) => !added).map(([, room]) => room),
        complete: complete && start + max >= rooms.length,
      }),
    );
  }
  return messages;
}

/** Reads a hub-link text frame; undefined when it is not one of the messages above. */
export function parseHubLinkMessage(text: string): HubLinkMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (Array.isArray(value.deliver)) {
    const names = value.deliver;
    if (!names.every((name): name is string => typeof name === 'string')) return undefined;
    return { type: 'deliver', groups: names };
  }
  if ('interest' in value) {
    const change = parseInterest(value.interest);
    return change ? { type: 'interest', change } : { type: 'invalid-interest' };
  }
  if (isObject(value.groups)) {
    const groups = parseGroups(value.groups);
    return groups && { type: 'groups', groups };
  }
  return undefined;
}

function parseGroups(value: Record<string, unknown>): Map<string, LinkGroup> | undefined {
  const names = Object.keys(value);
  if (names.length > LINK_MESSAGE_LIMITS.maxGroups) return undefined;
  const groups = new Map<string, LinkGroup>();
  for (const name of names) {
    const group = value[name];
    if (!isObject(group) || !Array.isArray(group.rooms)) return undefined;
    const rooms = group.rooms;
    if (rooms.length > LINK_MESSAGE_LIMITS.maxRoomsPerGroup) return undefined;
    if (!rooms.every((room): room is string => typeof room === 'string')) return undefined;
    groups.set(name, { rooms, durable: group.durable === true });
  }
  return groups;
}

function parseInterest(value: unknown): InterestChange | undefined {
  if (!isObject(value)) return undefined;
  const add = value.add ?? [];
  const remove = value.remove ?? [];
  if (!isRoomList(add) || !isRoomList(remove)) return undefined;
  if (add.length + remove.length > LINK_MESSAGE_LIMITS.maxInterestRoomsPerMessage) return undefined;
  if (value.complete !== undefined && typeof value.complete !== 'boolean') return undefined;
  return { add, remove, complete: value.complete === true };
}

function isRoomList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.every((room) => isBoundedString(room, LINK_MESSAGE_LIMITS.maxInterestRoomLength))
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
