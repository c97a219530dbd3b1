import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp } from '../support/built-app';
import { ces, cesDone, CesRun, CesRunOptions, endRuns } from '../support/ces-cli';
import { Json, untilSubscribed } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { startRepeater, TestRepeater } from '../support/repeater-harness';
import { WsPeer } from '../support/ws-peer';

// What an operator used to `nats` expects of `ces`: --version, global options anywhere,
// readable events in a terminal, --count, strict events, repeater status, bench, contexts.

const VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

describe('ces for operators', () => {
  const hubs: TestHub[] = [];
  const repeaters: TestRepeater[] = [];
  const peers: WsPeer[] = [];
  const runs: CesRun[] = [];
  let config: string;

  // Every run gets a configuration directory of its own: no context of the machine's.
  const run = (args: string[], options: CesRunOptions = {}) =>
    ces(args, { ...options, env: { XDG_CONFIG_HOME: config, ...options.env } }, runs);
  const done = (args: string[], options: CesRunOptions = {}) =>
    cesDone(args, { ...options, env: { XDG_CONFIG_HOME: config, ...options.env } }, runs);

  const start = async () => {
    const hub = await startHub();
    hubs.push(hub);
    return hub;
  };

  const listen = async (hub: TestHub, rooms: string[]) => {
    const peer = await WsPeer.connect(`${hub.url}/connect/messenger`);
    peers.push(peer);
    await peer.subscribe(rooms);
    return peer;
  };

  const subscribed = (hub: TestHub, room: string) => untilSubscribed(hub.httpUrl, room);

  beforeAll(() => builtApp('cli'), 120_000);
  beforeEach(() => (config = mkdtempSync(join(tmpdir(), 'ces-config-'))));

  afterEach(async () => {
    await endRuns(runs);
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await Promise.all(repeaters.splice(0).map((repeater) => repeater.close()));
    await Promise.all(hubs.splice(0).map((hub) => hub.close()));
    rmSync(config, { recursive: true, force: true });
  });

  it('prints its version', async () => {
    expect(await done(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('takes the global options before or after the command', async () => {
    const hub = await start();
    const listener = await listen(hub, ['R']);
    expect((await done(['--hub', hub.url, 'pub', 'R', '{"n":1}'])).code).toBe(0);
    expect((await done(['pub', 'R', '{"n":2}', '--hub', hub.url])).code).toBe(0);
    expect((await done(['--timeout', '5000', 'pub', '--hub', hub.url, 'R', '{"n":3}'])).code).toBe(
      0,
    );
    expect((await listener.waitForEvents(3)).map((e) => e.event)).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
    const status = await done(['--hub', hub.httpUrl, 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`hub ${hub.hubId}`);
  });

  describe('sub', () => {
    it('exits 0 after --count events', async () => {
      const hub = await start();
      const sub = run(['sub', '--hub', hub.url, '--count', '2', 'R']);
      await subscribed(hub, 'R');
      for (const n of [1, 2, 3]) await done(['pub', '--hub', hub.url, 'R', `{"n":${n}}`]);
      expect(await sub.exited).toBe(0);
      expect(sub.stdout()).toBe('{"room":"R","event":{"n":1}}\n{"room":"R","event":{"n":2}}\n');
    });

    it('refuses a --count that is not a positive number', async () => {
      const bad = await done(['sub', '--count', '0', 'R']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('a positive whole number of events');
    });

    it('prints the time, the room and indented JSON with --pretty, without colour in a pipe', async () => {
      const hub = await start();
      const sub = run(['sub', '--hub', hub.url, '--pretty', '--count', '1', 'R']);
      await subscribed(hub, 'R');
      await done(['pub', '--hub', hub.url, 'R', '{"n":12345678901234567890,"list":[1,"a"]}']);
      expect(await sub.exited).toBe(0);
      expect(sub.stdout()).toMatch(
        /^\d\d:\d\d:\d\d\.\d{3} R\n\{\n {2}"n": 12345678901234567890,\n {2}"list": \[\n {4}1,\n {4}"a"\n {2}\]\n\}\n$/,
      );
    });

    it('is readable and coloured in a terminal, and not coloured with NO_COLOR', async () => {
      const hub = await start();
      const coloured = run(['sub', '--hub', hub.url, '--count', '1', 'R'], { terminal: true });
      await subscribed(hub, 'R');
      await done(['pub', '--hub', hub.url, 'R', '{"key":"power","on":true}']);
      expect(await coloured.exited).toBe(0);
      expect(coloured.stdout()).toContain('\u001b[36m"key"\u001b[39m: \u001b[32m"power"\u001b[39m');
      expect(coloured.stdout()).toContain('\u001b[35mtrue\u001b[39m');

      const plain = run(['sub', '--hub', hub.url, '--count', '1', 'S'], {
        terminal: true,
        env: { NO_COLOR: '1' },
      });
      await subscribed(hub, 'S');
      await done(['pub', '--hub', hub.url, 'S', '{"key":"power"}']);
      expect(await plain.exited).toBe(0);
      expect(plain.stdout()).toMatch(/\d\d:\d\d:\d\d\.\d{3} S\r\n\{\r\n {2}"key": "power"\r\n\}/);
      expect(plain.stdout()).not.toContain('\u001b[');

      const json = run(['sub', '--hub', hub.url, '--json', '--count', '1', 'T'], {
        terminal: true,
      });
      await subscribed(hub, 'T');
      await done(['pub', '--hub', hub.url, 'T', '{"key":"power"}']);
      expect(await json.exited).toBe(0);
      expect(json.stdout()).toContain('{"room":"T","event":{"key":"power"}}\r\n');
    });
  });

  describe('pub', () => {
    it('refuses an event that is not a JSON object, and publishes nothing', async () => {
      const hub = await start();
      const listener = await listen(hub, ['R']);
      for (const [event, kind] of [
        ['[1,2]', 'an array'],
        ['"str"', 'a string'],
        ['42', 'a number'],
        ['null', 'null'],
      ]) {
        const refused = await done(['pub', '--hub', hub.url, 'R', event]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toBe(
          `ces: the event must be a JSON object, not ${kind}: ${event}\n`,
        );
      }
      const stdin = await done(['pub', '--hub', hub.url, 'R'], {
        input: '{"n":1}\n[2]\n{"n":3}\n',
      });
      expect(stdin.code).toBe(1);
      expect(stdin.stderr).toBe('ces: line 2 must be a JSON object, not an array: [2]\n');
      expect((await listener.waitForEvents(1)).map((e) => e.event)).toEqual([{ n: 1 }]);
      await listener.roundTrip();
      expect(listener.events).toHaveLength(1);
    });
  });

  describe('status', () => {
    it('recognises a repeater and shows its uplink, connections and targets', async () => {
      const hub = await start();
      const repeater = await startRepeater(hub.url, {
        REPEATER_SEND_MAP: JSON.stringify({ R: ['http://127.0.0.1:9/events'] }),
      });
      repeaters.push(repeater);
      const status = await done(['status', '--hub', repeater.httpUrl]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(new RegExp(`^repeater ${repeater.repeaterId}\n  up \\d+s\n`));
      expect(status.stdout).toContain(`uplink: open to ${hub.url}`);
      expect(status.stdout).toContain('outside connections: 0');
      expect(status.stdout).not.toContain('hub -');
      const json = await done(['status', '--json', '--hub', repeater.url]);
      expect(JSON.parse(json.stdout)).toMatchObject({ repeaterId: repeater.repeaterId });
    });
  });

  describe('bench', () => {
    it('measures deliveries per second and latency, with a progress line, in bounded time', async () => {
      const hub = await start();
      const bench = await done([
        'bench',
        '--hub',
        hub.url,
        '--pub',
        '2',
        '--sub',
        '4',
        '--rooms',
        '2',
        '--size',
        '256',
        '--rate',
        '400',
        '--duration',
        '2',
        '--json',
      ]);
      expect(bench.code).toBe(0);
      const result = JSON.parse(bench.stdout) as Json;
      expect(result).toMatchObject({
        publishers: 2,
        subscribers: 4,
        rooms: 2,
        size: 256,
        rate: 400,
        durationS: 2,
        lost: 0,
      });
      // Four subscribers over two rooms: every event reaches two of them.
      expect(result.published).toBeGreaterThan(0);
      expect(result.expected).toBe(result.published * 2);
      expect(result.delivered).toBe(result.expected);
      expect(result.deliveriesPerSecond).toBeGreaterThan(0);
      const { p50, p90, p99, p999, max } = result.latencyMs;
      expect(0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= max).toBe(true);
      // Not a terminal: the progress line comes once a second, as lines.
      expect(bench.stderr).toMatch(
        /^\[#*\.*\] 1\/2s {2}published [\d,]+ {2}delivered [\d,]+ {2}[\d,]+ deliveries\/s$/m,
      );

      const text = await done(['bench', '--hub', hub.url, '--rate', 'max', '--duration', '1']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(
        /^1 publisher, 1 subscriber, 1 room, 128-byte events, as fast as possible, 1 s\npublished +[\d,]+ events \([\d,]+\/s\)\ndelivered +[\d,]+ of [\d,]+ deliveries \([\d,]+\/s\), lost [\d,]+\nlatency +p50 [\d.]+ ms {2}p90 [\d.]+ ms {2}p99 [\d.]+ ms {2}p99\.9 [\d.]+ ms {2}max [\d.]+ ms\n$/,
      );
    }, 30_000);

    it('refuses options out of bounds', async () => {
      const long = await done(['bench', '--duration', '100000']);
      expect(long.code).toBe(1);
      expect(long.stderr).toContain('at most 3600');
      const none = await done(['bench', '--pub', '0', '--sub', '0']);
      expect(none.code).toBe(1);
      expect(none.stderr).toBe('ces: --pub and --sub are both 0\n');
    });
  });

  describe('contexts', () => {
    it('saves hub and token under a name, uses the current one, and lets flags and env win', async () => {
      const hub = await start();
      const other = await start();
      const saved = await done(['context', 'save', 'local', '--hub', hub.url, '--token', 't0k']);
      expect(saved.code).toBe(0);
      const file = join(config, 'ces', 'contexts', 'local.json');
      expect(saved.stdout).toBe(`saved context local (${file})\n`);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ hub: hub.url, token: 't0k' });
      expect(statSync(file).mode & 0o777).toBe(0o600);

      expect(await done(['context', 'use', 'local'])).toEqual({
        code: 0,
        stdout: 'using context local\n',
        stderr: '',
      });
      expect((await done(['status'])).stdout).toContain(`hub ${hub.hubId}`);
      // A flag, then the environment, win over the context.
      expect((await done(['status', '--hub', other.url])).stdout).toContain(`hub ${other.hubId}`);
      expect((await done(['status'], { env: { CES_HUB_URL: other.url } })).stdout).toContain(
        `hub ${other.hubId}`,
      );

      await done(['context', 'save', 'other', '--hub', other.url]);
      expect((await done(['--context', 'other', 'status'])).stdout).toContain(`hub ${other.hubId}`);
      const list = await done(['context', 'ls']);
      expect(list.stdout).toMatch(/^ +NAME +HUB +TOKEN\n\* +local +\S+ +yes\n +other +\S+ +no\n$/);
      const shown = await done(['context', 'show']);
      expect(JSON.parse(shown.stdout)).toEqual({ name: 'local', hub: hub.url, token: '***' });

      const missing = await done(['context', 'use', 'nope']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('ces: no context "nope" (there are: local, other)\n');
      expect((await done(['context', 'rm', 'local'])).code).toBe(0);
      expect((await done(['context', 'ls'])).stdout).toMatch(/^ +NAME +HUB +TOKEN\n +other /);
    });

    it('sends the context token to a hub with authentication on', async () => {
      const hub = await startHub({ HUB_AUTH_TOKENS: 'alpha' });
      hubs.push(hub);
      await done(['context', 'save', 'secured', '--hub', hub.url, '--token', 'alpha', '--select']);
      const status = await done(['status']);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(`hub ${hub.hubId}`);
    });

    it('lives in ~/.config/ces without XDG_CONFIG_HOME', async () => {
      const saved = await cesDone(
        ['context', 'save', 'home', '--hub', 'hub-b:7100'],
        { env: { HOME: config, XDG_CONFIG_HOME: '' } },
        runs,
      );
      expect(saved.code).toBe(0);
      expect(saved.stdout).toContain(join(config, '.config', 'ces', 'contexts', 'home.json'));
    });
  });
});
