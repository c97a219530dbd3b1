import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp } from './support/built-app';

const ROOT = join(__dirname, '..');

/** The benchmark must not rot: a few seconds of it run with every test run. */
describe('npm run bench, smoke mode', () => {
  it('measures the hub, the relay, Socket.IO and a hub given by its command with no loss and no reordering, and the hub durable group with every event acknowledged', () => {
    builtApp('hub');
    execFileSync('npx', ['tsc', '-p', 'bench/tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
    const dir = mkdtempSync(join(tmpdir(), 'ces-bench-'));
    try {
      const out = join(dir, 'smoke.json');
      execFileSync(
        process.execPath,
        [
          join(ROOT, 'dist', 'bench', 'run.js'),
          '--smoke',
          '--out',
          out,
          // Another hub by its start command: here the relay, started as an operator would.
          '--target-command',
          `relay-command=${process.execPath} ${join(ROOT, 'dist', 'bench', 'targets', 'relay-server.js')} {port}`,
        ],
        {
          cwd: ROOT,
          stdio: 'ignore',
          timeout: 120_000,
        },
      );
      const { records, failures } = JSON.parse(readFileSync(out, 'utf8')) as {
        failures: string[];
        records: {
          scenario: string;
          target: string;
          deliveriesPerSec: number;
          lost: number;
          reordered: number;
          expected: number;
          acknowledged?: number;
          store?: string;
          stored?: number;
        }[];
      };
      expect(failures).toEqual([]); // says why a target failed, if one did
      expect(records.map((r) => `${r.scenario}/${r.target}`).sort()).toEqual(
        [
          'fanout/hub',
          'fanout/relay',
          'fanout/socketio',
          'fanout/relay-command',
          'many-rooms/hub',
          'many-rooms/relay',
          'many-rooms/socketio',
          'many-rooms/relay-command',
          'durable/hub',
          'durable/hub-memory',
        ].sort(),
      );
      for (const record of records) {
        expect(record.expected).toBeGreaterThan(0);
        expect(record.deliveriesPerSec).toBeGreaterThan(0);
        expect(record).toMatchObject({ lost: 0, reordered: 0 });
      }
      const durable = records.filter((r) => r.scenario === 'durable');
      expect(durable.map((r) => r.store).sort()).toEqual(['memory', 'sqlite']);
      for (const record of durable) expect(record.acknowledged).toBe(record.expected);
      // The SQLite hub wrote events to its file; the memory hub has none.
      expect(durable.find((r) => r.store === 'sqlite')?.stored).toBeGreaterThan(0);
      expect(durable.find((r) => r.store === 'memory')?.stored).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
