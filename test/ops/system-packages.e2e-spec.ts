import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The script `npm test` (pretest) and .ci/run use to install the Debian packages the tests
// need. The real programs are installed here, so "missing" is simulated by pointing the
// script at paths that do not exist, and apt-get by a stand-in that records its arguments.
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'ensure-system-packages.sh');

describe('scripts/ensure-system-packages.sh', () => {
  let dir: string;
  let aptLog: string;
  let fakeAptGet: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ces-packages-'));
    aptLog = join(dir, 'apt-get.log');
    fakeAptGet = join(dir, 'apt-get');
    writeFileSync(fakeAptGet, `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> ${aptLog}\n`);
    chmodSync(fakeAptGet, 0o755);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string>) =>
    spawnSync('bash', [SCRIPT], {
      env: { ...process.env, DEBIAN_FRONTEND: '', CES_APT_GET: fakeAptGet, ...env },
      encoding: 'utf8',
    });
  const aptCalls = () => {
    try {
      return readFileSync(aptLog, 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };

  it('does nothing when both programs are there', () => {
    const result = run({ CES_CHROMIUM_PATH: '/bin/sh', CES_NATS_SERVER_PATH: '/bin/sh' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(aptCalls()).toEqual([]);
  });

  it('installs what is missing with apt-get, as root', () => {
    const result = run({
      CES_CHROMIUM_PATH: join(dir, 'no-chromium'),
      CES_NATS_SERVER_PATH: '/bin/sh',
      CES_USER_ID: '0',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('Installing the Debian package(s) the tests need: chromium');
    expect(aptCalls()).toEqual([
      'update -qq',
      'noninteractive install -y -qq --no-install-recommends chromium',
    ]);
  });

  it('stops at once with the one command to run, when not root', () => {
    const result = run({
      CES_CHROMIUM_PATH: join(dir, 'no-chromium'),
      CES_NATS_SERVER_PATH: join(dir, 'no-nats-server'),
      CES_USER_ID: '1000',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium nats-server',
    );
    expect(aptCalls()).toEqual([]);
  });

  it('stops when apt-get fails', () => {
    writeFileSync(fakeAptGet, '#!/bin/sh\nexit 100\n');
    const result = run({ CES_CHROMIUM_PATH: join(dir, 'no-chromium'), CES_USER_ID: '0' });
    expect(result.status).toBe(100);
  });
});
