/*
 * What the CLI prints. The hub's documents are read loosely: a field the hub does not send
 * (an older or newer hub) shows as "-" or is left out, never as a crash.
 */
type Loose = Record<string, unknown>;

const record = (value: unknown): Loose =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? `${value}` : '-';
/** The named fields of a record as table cells. */
const cells = (item: Record<string, unknown>, ...fields: string[]): string[] =>
  fields.map((field) => text(item[field]));
const lastErrorOf = (item: Record<string, unknown>): string =>
  typeof item.lastError === 'string' ? item.lastError : '';
const count = (value: unknown): number => (typeof value === 'number' ? value : 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One received event as `ces sub` prints it, a JSON line `{"room":…,"event":…}`, or
 * undefined when the event is not JSON. The event's own text is kept when it fits on one
 * line (numbers keep every digit); otherwise it is re-serialized.
 */
export function eventLine(room: string, body: Buffer, position?: string): string | undefined {
  const json = body.toString('utf8').trim();
  let event: unknown;
  try {
    event = JSON.parse(json);
  } catch {
    return undefined;
  }
  const oneLine = /[\r\n\u2028\u2029]/.test(json) ? JSON.stringify(event) : json;
  const at = position === undefined ? '' : `,"position":${JSON.stringify(position)}`;
  return `{"room":${JSON.stringify(room)},"event":${oneLine}${at}}\n`;
}

/** `3725` → `1h 02m 05s`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const [days, hours, minutes, seconds] = [
    Math.floor(s / 86_400),
    Math.floor((s % 86_400) / 3600),
    Math.floor((s % 3600) / 60),
    s % 60,
  ];
  const two = (n: number) => `${n}`.padStart(2, '0');
  if (days > 0) return `${days}d ${two(hours)}h ${two(minutes)}m`;
  if (hours > 0) return `${hours}h ${two(minutes)}m ${two(seconds)}s`;
  if (minutes > 0) return `${minutes}m ${two(seconds)}s`;
  return `${seconds}s`;
}

/** Rows as aligned columns (the last one unpadded), each line indented by `indent`. */
export function formatTable(rows: string[][], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

/** `{"a": 2, "b": 1}` → `a 2, b 1`; empty → `none`. */
function tally(value: unknown): string {
  const entries = Object.entries(record(value));
  return entries.length === 0 ? 'none' : entries.map(([key, n]) => `${key} ${text(n)}`).join(', ');
}

const LINK_FIELDS = [
  'direction',
  'state',
  'address',
  'remoteHubId',
  'since',
  'eventsIn',
  'eventsOut',
];

/** GET /interconnect (or /status's `links`) as a table, or `no links`. */
export function formatLinks(links: unknown, indent = ''): string {
  const rows = list(links).map((item) => {
    const link = record(item);
    return [...cells(link, ...LINK_FIELDS), lastErrorOf(link)];
  });
  if (rows.length === 0) return `${indent}no links`;
  const header = ['DIRECTION', 'STATE', 'ADDRESS', 'HUB', 'SINCE', 'IN', 'OUT', 'LAST ERROR'];
  return formatTable([header, ...rows], indent);
}

function formatPeers(peers: unknown[]): string {
  const rows = peers.map((item) => {
    const peer = record(item);
    const groups = list(peer.groups).map((group) => `group:${text(group)}`);
    const rooms = [...list(peer.rooms).map(text), ...groups];
    return [
      typeof peer.name === 'string' ? `${text(peer.id)} (${peer.name})` : text(peer.id),
      `${text(peer.remoteAddress)}${typeof peer.remoteHubId === 'string' ? ` (${peer.remoteHubId})` : ''}`,
      ...cells(peer, 'eventsIn', 'eventsOut', 'dropped'),
      rooms.join(', ') || '-',
    ];
  });
  return formatTable([['ID', 'FROM', 'IN', 'OUT', 'DROPPED', 'ROOMS'], ...rows], '    ');
}

/** GET /status as a readable summary: hub, peers by kind with their rooms, rooms, links, totals. */
export function formatStatus(document: unknown): string {
  const status = record(document);
  const version = status.version === undefined ? '' : ` (version ${text(status.version)})`;
  const uptime =
    typeof status.uptimeSeconds === 'number' ? `up ${formatDuration(status.uptimeSeconds)}` : '';
  const since = typeof status.startedAt === 'string' ? `, since ${status.startedAt}` : '';
  const lines = [`hub ${text(status.hubId)}${version}`, `  ${uptime || 'up -'}${since}`, ''];

  const peersByKind = Object.entries(record(status.peers));
  const total = peersByKind.reduce((sum, [, peers]) => sum + list(peers).length, 0);
  lines.push(`peers: ${total}`);
  for (const [kind, peers] of peersByKind) {
    lines.push(`  ${kind}: ${list(peers).length}`);
    if (list(peers).length > 0) lines.push(formatPeers(list(peers)));
  }

  const rooms = Object.entries(record(status.rooms));
  lines.push('', `rooms: ${rooms.length}`);
  if (rooms.length > 0) {
    const rows = rooms.map(([room, value]) => {
      const counts = record(value);
      const groups = count(counts.groups);
      return [
        room,
        plural(count(counts.subscribers), 'subscriber'),
        groups ? plural(groups, 'group') : '',
      ];
    });
    lines.push(formatTable(rows, '  '));
  }

  const links = list(status.links);
  lines.push('', `links: ${links.length}`);
  if (links.length > 0) lines.push(formatLinks(links, '  '));

  const totals = record(status.totals);
  lines.push(
    '',
    `events in:  ${tally(totals.eventsIn)}`,
    `events out: ${tally(totals.eventsOut)}`,
    `dropped:    ${tally(totals.dropped)}`,
    `rejected:   ${tally(totals.rejected)}`,
  );
  return lines.join('\n');
}

function formatConnections(connections: unknown[]): string {
  const rows = connections.map((item) => {
    const connection = record(item);
    const idle =
      typeof connection.idleMs === 'number' ? formatDuration(connection.idleMs / 1000) : '-';
    return [
      ...cells(connection, 'room', 'id', 'remoteAddress'),
      idle,
      ...cells(connection, 'eventsIn', 'eventsOut', 'rejected'),
    ];
  });
  return formatTable([['ROOM', 'ID', 'FROM', 'IDLE', 'IN', 'OUT', 'REJECTED'], ...rows], '    ');
}

function formatTargets(targets: unknown[]): string {
  const rows = targets.map((item) => {
    const target = record(item);
    return [
      ...cells(target, 'address', 'state', 'queued', 'sent', 'failed', 'dropped'),
      lastErrorOf(target),
    ];
  });
  const header = ['TARGET', 'STATE', 'QUEUED', 'SENT', 'FAILED', 'DROPPED', 'LAST ERROR'];
  return formatTable([header, ...rows], '    ');
}

/** Whether a /status document is a repeater's (it has `repeaterId` and `uplink`, no `hubId`). */
export function isRepeaterStatus(document: unknown): boolean {
  const status = record(document);
  return typeof status.repeaterId === 'string' && status.hubId === undefined;
}

/** A repeater's GET /status as a readable summary: uplink, outside connections, targets, totals. */
export function formatRepeaterStatus(document: unknown): string {
  const status = record(document);
  const uptime =
    typeof status.uptimeSeconds === 'number'
      ? `up ${formatDuration(status.uptimeSeconds)}`
      : 'up -';
  const uplink = record(status.uplink);
  const lines = [
    `repeater ${text(status.repeaterId)}`,
    `  ${uptime}`,
    '',
    `uplink: ${text(uplink.state)} to ${text(uplink.hubUrl)}`,
    `  sent ${count(uplink.sent)}, received ${count(uplink.received)}, buffered ${count(uplink.buffered)}, dropped ${count(uplink.dropped)}, reconnects ${count(uplink.reconnects)}`,
  ];
  const connections = list(status.connections);
  lines.push('', `outside connections: ${connections.length}`);
  if (connections.length > 0) lines.push(formatConnections(connections));
  const targets = list(status.targets);
  lines.push('', `targets: ${targets.length}`);
  if (targets.length > 0) lines.push(formatTargets(targets));
  const totals = record(status.totals);
  lines.push('', `events:     ${tally(totals.events)}`, `rejected:   ${tally(totals.rejected)}`);
  return lines.join('\n');
}
