/**
 * The mesh membership message our hubs exchange over a hub link, so that a hub given one
 * other hub learns the rest of the mesh and links to each member:
 *
 * `{"mesh": {"members": [{"id": "hub-a", "address": "10.0.0.1:7100"}]}}`: the sending hub
 * (when it advertises an address) and every hub it has an open link to whose address it
 * knows. It replaces what the sender said before. The original Go hub never sends it.
 */
export interface MeshMember {
  id: string;
  /** Where other hubs dial it: `host`, `host:port` or a ws:// / wss:// URL. */
  address: string;
}

/** Bounds what one message can make a hub hold or dial. */
export const MESH_MESSAGE_LIMITS = {
  maxMembers: 1_000,
  maxIdChars: 64,
  maxAddressChars: 512,
} as const;

/** Hub ids as the `x-ces-hub-id` header carries them. */
const HUB_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function encodeMeshMembers(members: readonly MeshMember[]): string {
  return JSON.stringify({
    mesh: { members: members.map(({ id, address }) => ({ id, address })) },
  });
}

/**
 * Reads a mesh message; undefined when it is not one or breaks a bound (every member needs
 * a valid hub id and a non-empty address; the whole list is refused, never half taken).
 */
export function parseMeshMessage(text: string): MeshMember[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isObject(value.mesh)) return undefined;
  const members = value.mesh.members;
  if (!Array.isArray(members) || members.length > MESH_MESSAGE_LIMITS.maxMembers) return undefined;
  const parsed: MeshMember[] = [];
  for (const member of members) {
    if (!isObject(member)) return undefined;
    const { id, address } = member;
    if (typeof id !== 'string' || !HUB_ID.test(id)) return undefined;
    if (typeof address !== 'string') return undefined;
    const trimmed = address.trim();
    if (!trimmed || trimmed.length > MESH_MESSAGE_LIMITS.maxAddressChars) return undefined;
    parsed.push({ id, address: trimmed });
  }
  return parsed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
