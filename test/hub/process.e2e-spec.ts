import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, builtApp, freePort, runApp } from '../support/built-app';
import { signTestJwt, TEST_JWT_SECRET } from '../support/tokens';
import { untilHealthy, waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

/** Preloaded into the hub: on SIGUSR2 it prints the packages the process has loaded so far. */
const LOADED_PACKAGES_PROBE = `
process.on('SIGUSR2', () => {
  const names = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(file);
    if (match) names.add(match[1]);
  }
  process.stderr.write('LOADED ' + JSON.stringify([...names]) + '\\n');
});
`;

describe('the hub as a process', () => {
  let hub: AppProcess | undefined;

  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('stops at startup naming a setting that is not valid', async () => {
    hub = runApp(builtApp('hub'), { HUB_PORT: 'seventy', HUB_PING_INTERVAL_MS: '5' });
    expect(await hub.exited).toBe(1);
    expect(hub.output()).toContain('HUB_PORT');
    expect(hub.output()).toContain('HUB_PING_INTERVAL_MS');
  });

  it('closes its peers with 1001 and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    hub = runApp(builtApp('hub'), {
      HUB_PORT: String(port),
      HUB_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    await untilHealthy(port, 'the hub to listen');
    const messenger = await WsPeer.connect(`ws://127.0.0.1:${port}/connect/messenger`);
    hub.child.kill('SIGTERM');
    expect(await messenger.waitForClose()).toBe(1001);
    expect(await hub.exited).toBe(0);
  });

  describe('loads what only some hubs use on first use', () => {
    let probeDir: string;

    beforeAll(async () => {
      probeDir = await mkdtemp(join(tmpdir(), 'ces-probe-'));
      await writeFile(join(probeDir, 'probe.js'), LOADED_PACKAGES_PROBE);
    });
    afterAll(() => rm(probeDir, { recursive: true, force: true }));

    async function startProbed(env: Record<string, string>): Promise<number> {
      const port = await freePort();
      hub = runApp(builtApp('hub'), {
        HUB_PORT: String(port),
        HUB_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        NODE_OPTIONS: `--require ${join(probeDir, 'probe.js')}`,
        ...env,
      });
      await untilHealthy(port, 'the hub to listen');
      return port;
    }

    async function loadedPackages(): Promise<string[]> {
      const before = hub!.output().length;
      hub!.child.kill('SIGUSR2');
      let line: string | undefined;
      await waitFor(
        () => (line = /LOADED (.*)\n/.exec(hub!.output().slice(before))?.[1]) !== undefined,
        'the list of loaded packages',
      );
      return JSON.parse(line!) as string[];
    }

    it('a hub outside cluster mode and without JWTs loads neither the NATS client nor jose', async () => {
      await startProbed({});
      const loaded = await loadedPackages();
      expect(loaded).toContain('@nestjs/core');
      expect(loaded.filter((name) => name.startsWith('@nats-io/') || name === 'jose')).toEqual([]);
    });

    it('a hub taking JWTs loads jose, and verifies the first token with it', async () => {
      const port = await startProbed({ HUB_JWT_SECRET: TEST_JWT_SECRET });
      const token = await signTestJwt({ kinds: ['messenger'] }, { expiresIn: '5m' });
      const messenger = await WsPeer.connect(
        `ws://127.0.0.1:${port}/connect/messenger?token=${token}`,
      );
      await messenger.close();
      expect(await loadedPackages()).toContain('jose');
    });
  });
});
