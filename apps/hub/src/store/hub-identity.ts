import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HUB_ID_FILE = 'hub-id';
const VALID_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function randomHubId(): string {
  return `hub-${randomBytes(4).toString('hex')}`;
}

/**
 * `persistentHubId`, or a random id when the data directory cannot be written: the store
 * cannot open there either, and says so; the hub still starts and routes.
 */
export function keptOrRandomHubId(dataDir: string): string {
  try {
    return persistentHubId(dataDir);
  } catch (error) {
    if (typeof (error as { code?: unknown }).code === 'string') return randomHubId();
    throw error;
  }
}

/**
 * The id a hub with a durable store uses when none is configured: generated once and kept in
 * the data directory, since the store's file is named after it and must be found again.
 */
export function persistentHubId(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, HUB_ID_FILE);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (VALID_ID.test(kept)) return kept;
    throw new Error(`${file} does not hold a valid hub id; remove it or set HUB_ID`);
  }
  const id = randomHubId();
  writeFileSync(file, `${id}\n`, { flag: 'wx' });
  return id;
}
