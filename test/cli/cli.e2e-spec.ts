import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp, freePort } from '../support/built-app';
import { ces as runCes, CesRun, CesRunOptions, endRuns } from '../support/ces-cli';
import { untilSubscribed } from '../support/http';
import { e2eFixtures } from '../support/fixtures';
import type { TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';

describe('the ces command', () => {
  const { hub: start, messenger: listen, track } = e2eFixtures();

  // A configuration directory of its own: no saved context of the machine's applies.
  const ces = (args: string[], options: CesRunOptions = {}): CesRun => {
    const run = runCes(args, { ...options, env: { XDG_CONFIG_HOME: config, ...options.env } });
    track({ close: () => endRuns([run]) });
    return run;
  };

  /** Runs `ces` to its end; resolves with its exit code and output. */
  const cesDone = async (args: string[], options: CesRunOptions = {}) => {
    const run = ces(args, options);
    const code = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  };

  /** Waits until the hub has applied a subscription to `room` (from `ces sub`). */
  const subscribed = (hub: TestHub, room: string, timeoutMs?: number) =>
    untilSubscribed(hub.httpUrl, room, { timeoutMs });

  const lines = (run: CesRun) => run.stdout().split('\n').filter(Boolean);

  const config = mkdtempSync(join(tmpdir(), 'ces-cli-config-'));
  afterAll(() => rmSync(config, { recursive: true, force: true }));

  beforeAll(() => builtApp('cli'), 120_000);

  describe('sub and pub', () => {
    it('sub prints, as JSON lines, what pub publishes, and exits 0 on SIGINT', async () => {
      const hub = await start();
      const sub = ces(['sub', '--hub', hub.url, 'ITB-1101', 'JFSB-1']);
      await subscribed(hub, 'JFSB-1');

      const first = await cesDone(['pub', '--hub', hub.url, 'ITB-1101', '{"key":"power"}']);
      expect(first).toEqual({ code: 0, stdout: '', stderr: '' });
      // The event's text is kept: a number keeps every digit.
      const second = await cesDone([
        'pub',
        '--hub',
        hub.url,
        'JFSB-1',
        '{"n":12345678901234567890}',
      ]);
      expect(second.code).toBe(0);
      await cesDone(['pub', '--hub', hub.url, 'OTHER', '{"not":"subscribed"}']);

      await waitFor(() => lines(sub).length >= 2, 'two lines from ces sub');
      expect(lines(sub)[0]).toBe('{"room":"ITB-1101","event":{"key":"power"}}');
      expect(lines(sub)[1]).toBe('{"room":"JFSB-1","event":{"n":12345678901234567890}}');
      sub.child.kill('SIGINT');
      expect(await sub.exited).toBe(0);
      expect(lines(sub)).toHaveLength(2);
      expect(sub.stderr()).toBe('');
    });

    it('sub survives a hub restart: it says so on stderr and resubscribes', async () => {
      const port = await freePort();
      const first = await start({ HUB_PORT: port });
      const sub = ces(['sub', '--hub', first.url, 'R']);
      await subscribed(first, 'R');
      await first.close();
      await waitFor(() => sub.stderr().includes('lost the hub'), 'ces sub to notice');
      const second = await start({ HUB_PORT: port });
      // The messenger redials with backoff (250 ms, doubling): give it a few attempts.
      await subscribed(second, 'R', 15_000);
      expect(await cesDone(['pub', '--hub', second.url, 'R', '{"after":"restart"}'])).toEqual({
        code: 0,
        stdout: '',
        stderr: '',
      });
      await waitFor(() => lines(sub).length === 1, 'the event after the restart');
      expect(JSON.parse(lines(sub)[0])).toEqual({ room: 'R', event: { after: 'restart' } });
      expect(sub.stderr()).toBe(
        `ces: lost the hub at ${first.url}; reconnecting\nces: reconnected to ${first.url}\n`,
      );
      sub.child.kill('SIGINT');
      expect(await sub.exited).toBe(0);
    });

    it('pub reads one event per line of stdin, skipping blank lines, and delivers all before exiting 0', async () => {
      const hub = await start();
      const listener = await listen(hub, ['R']);
      const piped = await cesDone(['pub', '--hub', hub.url, 'R'], {
        input: '{"n":1}\n\n  \n{"n":2}\r\n{"n":3}',
      });
      expect(piped).toMatchObject({ code: 0, stderr: '' });
      expect((await listener.waitForEvents(3)).map((e) => e.event)).toEqual([
        { n: 1 },
        { n: 2 },
        { n: 3 },
      ]);
    });

    it('pub streams many lines from stdin, in order, none lost', async () => {
      const hub = await start();
      const listener = await listen(hub, ['BULK']);
      const count = 5000;
      const input = Array.from({ length: count }, (_, i) => JSON.stringify({ i })).join('\n');
      const bulk = await cesDone(['pub', '--hub', hub.url, 'BULK'], { input });
      expect(bulk.code).toBe(0);
      const events = await listener.waitForEvents(count, 10_000);
      expect(events.map((e) => (e.event as { i: number }).i)).toEqual(
        Array.from({ length: count }, (_, i) => i),
      );
    });

    it('pub publishes lines as they arrive, and exits 2 when the hub goes away', async () => {
      const hub = await start();
      const listener = await listen(hub, ['R']);
      const pub = ces(['pub', '--hub', hub.url, 'R']);
      pub.child.stdin!.write('{"n":1}\n');
      expect((await listener.waitForEvents(1)).map((e) => e.event)).toEqual([{ n: 1 }]);
      await hub.close();
      expect(await pub.exited).toBe(2);
      expect(pub.stderr()).toMatch(/^ces: lost the hub at ws:\/\/127\.0\.0\.1:\d+/);
    });

    it('takes the hub as http://, as host:port, or from CES_HUB_URL', async () => {
      const hub = await start();
      const listener = await listen(hub, ['R']);
      expect((await cesDone(['pub', '--hub', hub.httpUrl, 'R', '{"n":1}'])).code).toBe(0);
      expect((await cesDone(['pub', '--hub', `127.0.0.1:${hub.port}`, 'R', '{"n":2}'])).code).toBe(
        0,
      );
      expect(
        (await cesDone(['pub', 'R', '{"n":3}'], { env: { CES_HUB_URL: hub.httpUrl } })).code,
      ).toBe(0);
      expect((await listener.waitForEvents(3)).map((e) => e.event)).toEqual([
        { n: 1 },
        { n: 2 },
        { n: 3 },
      ]);
    });
  });

  describe('bad input: exit 1, the reason on stderr', () => {
    it('refuses an invalid JSON argument before connecting', async () => {
      const port = await freePort();
      const bad = await cesDone(['pub', '--hub', `ws://127.0.0.1:${port}`, 'R', '{"n":']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^ces: the event is not valid JSON/);
      expect(bad.stdout).toBe('');
    });

    it('stops at an invalid line of stdin, after publishing the lines before it', async () => {
      const hub = await start();
      const listener = await listen(hub, ['R']);
      const bad = await cesDone(['pub', '--hub', hub.url, 'R'], {
        input: '{"n":1}\nnot json\n{"n":3}\n',
      });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^ces: line 2 is not valid JSON/);
      expect((await listener.waitForEvents(1)).map((e) => e.event)).toEqual([{ n: 1 }]);
      await listener.roundTrip();
      expect(listener.events).toHaveLength(1);
    });

    it('refuses a missing or invalid room and unknown options', async () => {
      const missing = await cesDone(['pub']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("missing required argument 'room'");
      const invalid = await cesDone(['sub', 'ITB\n1101']);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/^ces: invalid room "ITB\\n1101"/);
      const option = await cesDone(['status', '--nope']);
      expect(option.code).toBe(1);
      expect(option.stderr).toContain("unknown option '--nope'");
      const address = await cesDone(['status', '--hub', 'ftp://hub-b']);
      expect(address.code).toBe(1);
      expect(address.stderr).toMatch(/^ces: --hub: hub address "ftp:\/\/hub-b" must be/);
    });
  });

  describe('hub commands', () => {
    it('status summarizes the hub, or prints its /status as JSON', async () => {
      const hub = await start();
      const sub = ces(['sub', '--hub', hub.url, 'ITB-1101']);
      await subscribed(hub, 'ITB-1101');

      const status = await cesDone(['status', '--hub', hub.httpUrl]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(`hub ${hub.hubId}`);
      expect(status.stdout).toMatch(/messengers: 1\n.*\n.*messenger-\S+ .*ITB-1101/);
      expect(status.stdout).toContain('ITB-1101  1 subscriber');
      expect(status.stdout).toContain('links: 0');
      expect(status.stdout).toMatch(/dropped: +none/);

      const json = await cesDone(['status', '--json', '--hub', hub.url]);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({
        hubId: hub.hubId,
        rooms: { 'ITB-1101': { subscribers: 1 } },
      });
      sub.child.kill('SIGINT');
      expect(await sub.exited).toBe(0);
    });

    it('interconnect links two hubs, links lists the link, unlink removes it', async () => {
      const [a, b] = [await start(), await start()];
      const address = `127.0.0.1:${b.port}`;
      const linked = await cesDone(['interconnect', '--hub', a.url, address]);
      expect(linked).toMatchObject({ code: 0, stderr: '' });
      expect(linked.stdout).toBe(`linked to ${address}: open (hub ${b.hubId})\n`);
      const again = await cesDone(['interconnect', '--hub', a.url, address]);
      expect(again.stdout).toBe(`already linked to ${address}: open (hub ${b.hubId})\n`);

      const links = await cesDone(['links', '--hub', a.url]);
      expect(links.code).toBe(0);
      const [header, row, ...rest] = links.stdout.trimEnd().split('\n');
      expect(header).toMatch(/^DIRECTION +STATE +ADDRESS +HUB +SINCE +IN +OUT +LAST ERROR$/);
      expect(row).toMatch(new RegExp(`^out +open +${address} +${b.hubId} `));
      expect(rest).toEqual([]);
      // b sees the same link from the other end.
      const incoming = await cesDone(['links', '--hub', b.url]);
      expect(incoming.stdout).toMatch(new RegExp(`\\nin +open +.* ${a.hubId} `));

      const unlinked = await cesDone(['unlink', '--hub', a.url, address]);
      expect(unlinked).toEqual({ code: 0, stdout: `unlinked ${address}\n`, stderr: '' });
      expect((await cesDone(['links', '--hub', a.url])).stdout).toBe('no links\n');
      const unknown = await cesDone(['unlink', '--hub', a.url, address]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toBe(`ces: the hub answered 404 Not Found: no link to ${address}\n`);
    });

    it('links a hub given as a ws:// URL', async () => {
      const [a, b] = [await start(), await start()];
      const linked = await cesDone(['interconnect', '--hub', a.url, b.url]);
      expect(linked.code).toBe(0);
      expect(linked.stdout).toContain(`open (hub ${b.hubId})`);
      expect((await cesDone(['unlink', '--hub', a.url, b.url])).code).toBe(0);
    });
  });

  describe('hub trouble: exit 2, a clear message on stderr', () => {
    it('says so when the hub cannot be reached', async () => {
      const port = await freePort();
      const status = await cesDone(['status', '--hub', `http://127.0.0.1:${port}`]);
      expect(status.code).toBe(2);
      expect(status.stderr).toBe(
        `ces: cannot reach the hub at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
      );
      for (const args of [['sub', 'R'], ['pub', 'R', '{}'], ['links']]) {
        const run = await cesDone([...args, '--hub', `ws://127.0.0.1:${port}`]);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(
          /^ces: cannot reach the hub at (ws|http):\/\/127\.0\.0\.1:\d+: /,
        );
        expect(run.stdout).toBe('');
      }
    });

    it('sends the token from --token or CES_TOKEN, and says when one is needed', async () => {
      const hub = await start({ HUB_AUTH_TOKENS: 'alpha' });
      const without = await cesDone(['status', '--hub', hub.url]);
      expect(without.code).toBe(2);
      expect(without.stderr).toBe(
        'ces: the hub answered 401 Unauthorized: a bearer token is required (give a token with --token or CES_TOKEN)\n',
      );
      const refused = await cesDone(['sub', '--hub', hub.url, 'R']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`the hub at ${hub.url} refused the connection: HTTP 401`);

      const status = await cesDone(['status', '--hub', hub.url], { env: { CES_TOKEN: 'alpha' } });
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(`hub ${hub.hubId}`);
      const sub = ces(['sub', '--hub', hub.url, '--token', 'alpha', 'R']);
      await untilSubscribed(hub.httpUrl, 'R', { headers: { authorization: 'Bearer alpha' } });
      const pub = await cesDone(['pub', '--hub', hub.url, 'R', '{"ok":true}'], {
        env: { CES_TOKEN: 'alpha' },
      });
      expect(pub.code).toBe(0);
      await waitFor(() => lines(sub).length === 1, 'the event at ces sub');
      expect(JSON.parse(lines(sub)[0])).toEqual({ room: 'R', event: { ok: true } });
    });
  });
});
