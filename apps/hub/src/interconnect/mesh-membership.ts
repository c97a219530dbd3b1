import { MeshMember } from '@ces/protocol';

/** What a hub knows of itself and its links when it reads another hub's member list. */
export interface MeshSelf {
  id: string;
  /** The address this hub advertises, if any. */
  address?: string;
  /** True when this hub has a link to `id` already (open, or one it dials). */
  isLinked(id: string): boolean;
}

/**
 * The mesh as one hub sees it: for each of its open links to our hubs, the address that
 * hub advertises. That is what it tells its linked hubs (with itself first), so a member
 * is advertised only while some hub has a working link to it, and a hub that leaves drops
 * out of every list by itself. Pure: the sockets and the dialing are the callers'.
 */
export class MeshMembership {
  private readonly addresses = new Map<string, string>();

  /** The list to send: this hub when it advertises, then each linked hub whose address is known. */
  members(self: MeshMember | undefined): MeshMember[] {
    const linked = [...this.addresses].map(([id, address]) => ({ id, address }));
    return self ? [self, ...linked] : linked;
  }

  /** The address a linked hub advertises, as it told us. */
  addressOf(id: string): string | undefined {
    return this.addresses.get(id);
  }

  /**
   * `from`, a hub we have an open link to, sent its list. Its own entry is where it may be
   * dialed (absent: it does not advertise); the others are members to link to, unless one
   * is this hub or a hub this hub has a link to already. Returns whether this hub's own
   * list changed (then it tells its linked hubs) and the members to dial.
   */
  receive(
    from: string,
    members: readonly MeshMember[],
    self: MeshSelf,
  ): { changed: boolean; toDial: MeshMember[] } {
    const own = members.find((member) => member.id === from)?.address;
    const changed = own !== this.addresses.get(from);
    if (own === undefined) this.addresses.delete(from);
    else this.addresses.set(from, own);

    const seen = new Set([from, self.id]);
    const toDial: MeshMember[] = [];
    for (const member of members) {
      if (seen.has(member.id) || member.address === self.address) continue;
      seen.add(member.id);
      if (!self.isLinked(member.id)) toDial.push(member);
    }
    return { changed, toDial };
  }

  /** The last link to `id` closed; true when this hub's list changed. */
  linkClosed(id: string): boolean {
    return this.addresses.delete(id);
  }
}
