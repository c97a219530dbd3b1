import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { persistentHubId } from './hub-identity';

describe('persistentHubId', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ces-hub-id-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates an id once, in a data directory it creates, and reuses it', () => {
    const dataDir = join(dir, 'data');
    const id = persistentHubId(dataDir);
    expect(id).toMatch(/^hub-[0-9a-f]{8}$/);
    expect(readFileSync(join(dataDir, 'hub-id'), 'utf8').trim()).toBe(id);
    expect(persistentHubId(dataDir)).toBe(id);
  });

  it('refuses a kept id that is not valid, naming the file', () => {
    writeFileSync(join(dir, 'hub-id'), 'not an id!\n');
    expect(() => persistentHubId(dir)).toThrow(
      `${join(dir, 'hub-id')} does not hold a valid hub id`,
    );
  });
});
