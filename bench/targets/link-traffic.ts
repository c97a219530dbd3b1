import { execFileSync } from 'node:child_process';
import { RunningTarget } from './target-process';

/** What has crossed the links between a mesh's hubs so far. */
export interface LinkTraffic {
  /** Events the hubs wrote to linked hubs (their /status totals). */
  events: number;
  /** TCP payload bytes of the links, both directions: events, link messages, pings. */
  bytes: number;
}

/**
 * Reads both counts from outside the hubs: events from each hub's /status, bytes from the
 * kernel's per-socket counters (`ss`). Each link is one TCP connection, counted once, at
 * the end of the hub that dialed it: a hub process's socket to another hub's port.
 */
export async function linkTraffic(hubs: RunningTarget[]): Promise<LinkTraffic> {
  let events = 0;
  for (const hub of hubs) {
    const status = (await (await fetch(`${hub.httpUrl}/status`)).json()) as {
      totals: { eventsOut: Record<string, number> };
    };
    events += status.totals.eventsOut.hub ?? 0;
  }
  return { events, bytes: linkBytes(hubs) };
}

function linkBytes(hubs: RunningTarget[]): number {
  const ports = new Set(hubs.map((hub) => hub.port));
  const pids = new Set(hubs.map((hub) => hub.pid));
  const lines = execFileSync('ss', ['-tinpH', 'state', 'established'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }).split('\n');
  let bytes = 0;
  for (let i = 0; i < lines.length - 1; i++) {
    const socket = /\S+:(\d+)\s+\S+:(\d+)\s+users:\(\("[^"]*",pid=(\d+)/.exec(lines[i]);
    if (!socket || !ports.has(Number(socket[2])) || !pids.has(Number(socket[3]))) continue;
    const info = lines[i + 1];
    bytes += counter(info, 'bytes_sent') + counter(info, 'bytes_received');
  }
  return bytes;
}

function counter(info: string, name: string): number {
  return Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? 0);
}
