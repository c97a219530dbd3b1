import { readFileSync } from 'node:fs';

/** Room (or `*`) → the outside targets that get the room's events from the hub. */
export type SendMap = ReadonlyMap<string, readonly string[]>;

const TARGET_SCHEMES = ['ws:', 'wss:', 'http:', 'https:'];

/**
 * Reads the send map from a JSON file and/or an inline JSON string (the inline one is
 * merged over the file's). Throws an error naming what is wrong, so startup stops.
 */
export function loadSendMap(path: string, inline: string): SendMap {
  const map = new Map<string, string[]>();
  if (path) merge(map, parse(readFileSync(path, 'utf8'), `send map file ${path}`));
  if (inline) merge(map, parse(inline, 'REPEATER_SEND_MAP'));
  return map;
}

function parse(text: string, source: string): Record<string, string[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source} must be a JSON object of room → list of targets`);
  }
  for (const [room, targets] of Object.entries(value)) {
    if (!Array.isArray(targets) || !targets.every((t) => typeof t === 'string')) {
      throw new Error(`${source}: "${room}" must list targets as strings`);
    }
    for (const target of targets as string[]) checkTarget(target, `${source}: "${room}"`);
  }
  return value as Record<string, string[]>;
}

function checkTarget(target: string, where: string): void {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`${where}: "${target}" is not a URL`);
  }
  if (!TARGET_SCHEMES.includes(url.protocol)) {
    throw new Error(`${where}: "${target}" must be ws://, wss://, http:// or https://`);
  }
}

function merge(into: Map<string, string[]>, from: Record<string, string[]>): void {
  for (const [room, targets] of Object.entries(from)) into.set(room, [...new Set(targets)]);
}
