import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub, TestHub } from '../support/hub-harness';
import { WsPeer } from '../support/ws-peer';

// The CLI as `npm run build:packages` packs it, installed where no file of this repository
// (nor its node_modules) can be found: it must run on its own.
const ROOT = join(__dirname, '..', '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

describe('the packed ces CLI', () => {
  let dir: string;
  let bin: string;
  let hub: TestHub;
  let peer: WsPeer | undefined;

  beforeAll(() => {
    execFileSync('bash', [join(ROOT, 'scripts', 'build-cli-package.sh')], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    dir = mkdtempSync(join(tmpdir(), 'ces-cli-install-'));
    const tarball = join(ROOT, 'dist', 'packages', `ces-cli-${version}.tgz`);
    execFileSync(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--prefix', dir, tarball],
      {
        cwd: dir,
        stdio: 'ignore',
      },
    );
    bin = join(dir, 'node_modules', '.bin', 'ces');
  }, 180_000);

  beforeEach(async () => (hub = await startHub()));

  afterEach(async () => {
    await peer?.close();
    await hub.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Asynchronous: the hub runs in this process and must keep answering meanwhile.
  const ces = async (args: string[]) =>
    (
      await promisify(execFile)(bin, args, {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') },
      })
    ).stdout;

  it('installs with a `ces` command that needs nothing of the repository', async () => {
    expect(await ces(['--version'])).toBe(`${version}\n`);
    const manifest = JSON.parse(
      readFileSync(join(dir, 'node_modules', '@ces', 'cli', 'package.json'), 'utf8'),
    ) as { bin: unknown; dependencies?: unknown };
    expect(manifest.bin).toEqual({ ces: 'ces.js' });
    expect(manifest.dependencies).toBeUndefined();
  });

  it('publishes to a hub and reads its status', async () => {
    peer = await WsPeer.connect(`${hub.url}/connect/messenger`);
    await peer.subscribe(['R']);
    await ces(['--hub', hub.url, 'pub', 'R', '{"from":"the package"}']);
    expect((await peer.waitForEvents(1)).map((e) => e.event)).toEqual([{ from: 'the package' }]);
    expect(await ces(['status', '--hub', hub.httpUrl])).toContain(`hub ${hub.hubId}`);
  });
});
