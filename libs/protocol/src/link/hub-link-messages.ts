/**
 * Text frames our hubs exchange over a hub link. The original Go hub never sends them and
 * ignores text frames it cannot read as events, so a link to it carries events only.
 *
 * - `{"groups": {"billing": {"rooms": ["A"], "durable": true}}}`: the whole set of consumer
 *   groups the sending hub has members of (replaces what it said before).
 * - `{"deliver": ["billing"]}`: the next event frame on this link was given to the receiving
 *   hub for these groups; it delivers it to one local member of each.
 */
export interface LinkGroup {
  rooms: string[];
  durable: boolean;
}

/** Group name → what the sending hub holds of it. A Map, so no name can collide with Object's keys. */
export type LinkGroups = ReadonlyMap<string, LinkGroup>;

export type HubLinkMessage =
  { type: 'groups'; groups: LinkGroups } | { type: 'deliver'; groups: string[] };

/** Most groups and rooms one advertisement may carry: bounds what a link can make us hold. */
export const LINK_MESSAGE_LIMITS = { maxGroups: 10_000, maxRoomsPerGroup: 100_000 } as const;

export function encodeGroupAdvertisement(groups: LinkGroups): string {
  const body: Record<string, LinkGroup> = {};
  for (const [name, group] of groups)
    Object.defineProperty(body, name, { value: group, enumerable: true, writable: true });
  return JSON.stringify({ groups: body });
}

export function encodeDeliver(groups: readonly string[]): string {
  return JSON.stringify({ deliver: groups });
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
