/* The hub's /status document, read loosely: the CLI prints what it finds. */
interface Peer {
  id: string;
  remoteAddress: string;
  rooms: string[];
  groups: string[];
  eventsIn: number;
  eventsOut: number;
  dropped: number;
}

interface Status {
  hubId: string;
  version: string;
  uptimeSeconds: number;
  peers: Record<string, Peer[]>;
  rooms: Record<string, { subscribers: number; groups: number }>;
  links: { address: string; direction: string; state: string; remoteHubId?: string }[];
  totals: { dropped: Record<string, number>; rejected: Record<string, number> };
}

const tally = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ') || 'none';

/** A readable summary of a hub's /status. */
export function formatStatus(status: Status): string {
  const lines = [
    `hub ${status.hubId} (version ${status.version}), up ${status.uptimeSeconds} s`,
    '',
  ];
  for (const [kind, peers] of Object.entries(status.peers)) {
    lines.push(`${kind}: ${peers.length}`);
    for (const peer of peers) {
      const rooms = [...peer.rooms, ...peer.groups.map((g) => `group ${g}`)].join(', ') || '-';
      lines.push(
        `  ${peer.id} ${peer.remoteAddress}  in ${peer.eventsIn} out ${peer.eventsOut} dropped ${peer.dropped}  [${rooms}]`,
      );
    }
  }
  lines.push('', `rooms: ${Object.keys(status.rooms).length}`);
  for (const [room, counts] of Object.entries(status.rooms))
    lines.push(`  ${room}: ${counts.subscribers} subscriber(s), ${counts.groups} group(s)`);
  lines.push('', `links: ${status.links.length}`);
  for (const link of status.links)
    lines.push(
      `  ${link.direction} ${link.address} ${link.state}${link.remoteHubId ? ` (${link.remoteHubId})` : ''}`,
    );
  lines.push(
    '',
    `dropped: ${tally(status.totals.dropped)}`,
    `rejected: ${tally(status.totals.rejected)}`,
  );
  return lines.join('\n');
}

/** GET /interconnect as a table. */
export function formatLinks(links: Status['links'] & { since?: string }[]): string {
  if (links.length === 0) return 'no links';
  return links
    .map(
      (l) =>
        `${l.direction.padEnd(4)} ${l.state.padEnd(12)} ${l.address}${l.remoteHubId ? `  ${l.remoteHubId}` : ''}`,
    )
    .join('\n');
}
