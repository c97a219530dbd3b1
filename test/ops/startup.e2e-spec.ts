import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp, freePort } from '../support/built-app';
import { waitFor } from '../support/wait-for';

// The built apps as an operator starts them: configuration from the environment and .env,
// startup failures as one plain line each, logs as JSON in a pipe or pretty when asked.

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

describe('starting the apps', () => {
  const children: ChildProcess[] = [];
  const servers: Server[] = [];
  let dir: string;

  beforeAll(() => {
    builtApp('hub');
    builtApp('repeater');
  }, 180_000);

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ces-startup-'))));

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs an app in `dir` (where its .env is read from) with only `env` of the settings. */
  const run = (app: 'hub' | 'repeater', env: Record<string, string>, args: string[] = []) => {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^(HUB_|REPEATER_|LOG_|NO_COLOR|FORCE_COLOR)/.test(key),
      ),
    );
    const child = spawn(process.execPath, [builtApp(app), ...args], {
      cwd: dir,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) =>
      child.once('close', (code) => resolve(code)),
    );
    return { child, stdout: () => stdout, stderr: () => stderr, exited } as Started;
  };

  const finished = async (
    app: 'hub' | 'repeater',
    env: Record<string, string>,
    args?: string[],
  ) => {
    const started = run(app, env, args);
    const code = await started.exited;
    return { code, stdout: started.stdout(), stderr: started.stderr() };
  };

  const healthy = (port: number) =>
    waitFor(
      async () =>
        (await fetch(`http://127.0.0.1:${port}/status`).catch(() => undefined))?.ok === true,
      `the app on port ${port}`,
      15_000,
    );

  describe('a bad setting', () => {
    it('is one line naming the setting, the value and what is allowed: no stack, no colour', async () => {
      const result = await finished('hub', { HUB_PORT: 'abc' });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: 'hub: error: HUB_PORT="abc" is not valid: a whole number from 0 to 65535\n',
      });
    });

    it('stops the hub for an invalid HUB_PEERS', async () => {
      const result = await finished('hub', { HUB_PEERS: 'hub-b:7100,ftp://hub-c' });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'hub: error: HUB_PEERS="hub-b:7100,ftp://hub-c" is not valid: comma-separated hub addresses (host, host:port or ws:// URL); "ftp://hub-c" must use ws:// or wss://\n',
      );
    });

    it('keeps HUB_PING_INTERVAL_MS below the original messenger’s 90 s read deadline', async () => {
      const result = await finished('hub', { HUB_PING_INTERVAL_MS: '90000' }, ['--check']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^hub: error: HUB_PING_INTERVAL_MS="90000" is not valid: .*89999/,
      );
      expect((await finished('hub', { HUB_PING_INTERVAL_MS: '89999' }, ['--check'])).code).toBe(0);
    });

    it('names REPEATER_SEND_MAP_PATH when the file is missing or invalid', async () => {
      const missing = await finished('repeater', {
        REPEATER_SEND_MAP_PATH: join(dir, 'nope.json'),
      });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /^repeater: error: REPEATER_SEND_MAP_PATH=".*nope\.json" is not valid: .*there is no such file\n$/,
      );
      writeFileSync(join(dir, 'map.json'), '{"R": "ws://x"}');
      const invalid = await finished('repeater', { REPEATER_SEND_MAP_PATH: join(dir, 'map.json') });
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(
        /^repeater: error: REPEATER_SEND_MAP_PATH=.* "R" must list targets/,
      );
    });

    it('names HUB_AUDIT when its directory does not exist', async () => {
      const result = await finished('hub', { HUB_AUDIT: join(dir, 'missing', 'audit.jsonl') }, [
        '--check',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^hub: error: HUB_AUDIT=".*audit\.jsonl" is not valid: stdout, or a file path in an existing directory/,
      );
    });

    it('names HUB_PORT when the port is in use', async () => {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const result = await finished('hub', { HUB_PORT: String(port), HUB_HOST: '127.0.0.1' });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `hub: error: HUB_PORT=${port} is not usable: the port is in use; stop what listens there or choose another port\n`,
      );
    });
  });

  describe('--check', () => {
    it('validates without starting, and warns about a misspelt setting with the closest name', async () => {
      const result = await finished('hub', { HUB_PING_INTERVL_MS: '5000' }, ['--check']);
      expect(result).toEqual({
        code: 0,
        stdout: 'hub: the configuration is valid\n',
        stderr:
          'hub: warning: HUB_PING_INTERVL_MS is not a setting of the hub (did you mean HUB_PING_INTERVAL_MS?)\n',
      });
      const repeater = await finished('repeater', { REPEATER_HUB_URL: 'http://x' }, ['--check']);
      expect(repeater.code).toBe(1);
      expect(repeater.stderr).toMatch(
        /^repeater: error: REPEATER_HUB_URL="http:\/\/x" is not valid/,
      );
    });
  });

  describe('.env', () => {
    it('is read from the working directory, under the process environment', async () => {
      writeFileSync(join(dir, '.env'), 'HUB_PING_INTERVAL_MS=5\n');
      const fromFile = await finished('hub', {}, ['--check']);
      expect(fromFile.code).toBe(1);
      expect(fromFile.stderr).toContain('HUB_PING_INTERVAL_MS="5" is not valid');
      // The environment wins over the file.
      expect((await finished('hub', { HUB_PING_INTERVAL_MS: '1000' }, ['--check'])).code).toBe(0);

      const port = await freePort();
      writeFileSync(
        join(dir, '.env'),
        `HUB_PORT=${port}\nHUB_HOST=127.0.0.1\nHUB_ID=from-dotenv\n`,
      );
      run('hub', {});
      await healthy(port);
      const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as {
        hubId: string;
      };
      expect(status.hubId).toBe('from-dotenv');
    });
  });

  describe('logs', () => {
    it('are JSON lines in a pipe, without Nest’s route mapping at info', async () => {
      const port = await freePort();
      const hub = run('hub', { HUB_PORT: String(port), HUB_HOST: '127.0.0.1' });
      await healthy(port);
      await waitFor(() => hub.stdout().includes('listening on port'), 'the listening line');
      const lines = hub.stdout().trim().split('\n');
      const entries = lines.map((line) => JSON.parse(line) as { msg: string; context?: string });
      expect(entries.some((entry) => entry.context === 'RouterExplorer')).toBe(false);
      expect(entries.some((entry) => entry.msg.startsWith('Mapped {'))).toBe(false);
      expect(entries.some((entry) => /^hub \S+ listening on port \d+$/.test(entry.msg))).toBe(true);
    });

    it('show the route mapping at debug', async () => {
      const port = await freePort();
      const hub = run('hub', { HUB_PORT: String(port), HUB_HOST: '127.0.0.1', LOG_LEVEL: 'debug' });
      await healthy(port);
      await waitFor(() => hub.stdout().includes('listening on port'), 'the listening line');
      const mapped = hub
        .stdout()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .filter((entry) => entry.msg.startsWith('Mapped {'));
      expect(mapped.length).toBeGreaterThan(5);
      expect(mapped.every((entry) => entry.level === 20)).toBe(true);
    });

    it('are readable lines with LOG_FORMAT=pretty, coloured only when asked', async () => {
      const port = await freePort();
      const hub = run('repeater', {
        REPEATER_PORT: String(port),
        REPEATER_HOST: '127.0.0.1',
        REPEATER_HUB_URL: `ws://127.0.0.1:${await freePort()}`,
        LOG_FORMAT: 'pretty',
      });
      await healthy(port);
      await waitFor(() => hub.stdout().includes('listening on port'), 'the listening line');
      const line = hub
        .stdout()
        .split('\n')
        .find((text) => text.includes('listening on port'))!;
      expect(line).toMatch(
        /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Repeater\] repeater \S+ listening on port \d+$/,
      );
      expect(hub.stdout()).not.toContain('\u001b[');

      const coloured = run('hub', {
        HUB_PORT: String(await freePort()),
        HUB_HOST: '127.0.0.1',
        LOG_FORMAT: 'pretty',
        FORCE_COLOR: '1',
      });
      await waitFor(() => coloured.stdout().includes('listening on port'), 'the coloured line');
      expect(coloured.stdout()).toContain('\u001b[');
    });
  });
});
