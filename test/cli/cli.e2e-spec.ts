import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { builtApp } from '../support/built-app';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const BIN = join(__dirname, '..', '..', 'bin', 'ces.js');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs the real `ces` command, as a user would. */
function ces(args: string[], input?: string): Run {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  if (input !== undefined) child.stdin!.end(input);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

describe('the ces command', () => {
  const hubs: TestHub[] = [];
  const peers: WsPeer[] = [];
  const children: ChildProcess[] = [];
  const start = async () => {
    const hub = await startHub();
    hubs.push(hub);
    return hub;
  };
  const run = (args: string[], input?: string) => {
    const result = ces(args, input);
    children.push(result.child);
    return result;
  };

  beforeAll(() => builtApp('cli'));

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await Promise.all(hubs.splice(0).map((hub) => hub.close()));
  });

  it('sub prints what is published, as JSON lines, and exits 0 on SIGINT', async () => {
    const hub = await start();
    const sub = run(['sub', '--hub', hub.url, 'ITB-1101']);
    await waitFor(async () => {
      const rooms = (await (await fetch(`${hub.httpUrl}/status`)).json()) as {
        rooms: Record<string, unknown>;
      };
      return 'ITB-1101' in rooms.rooms;
    }, 'the subscription');
    const publisher = await WsPeer.connect(`${hub.url}/connect/messenger`);
    peers.push(publisher);
    publisher.send('ITB-1101', { key: 'power', value: 'on' });
    await waitFor(() => sub.stdout().includes('\n'), 'a line from ces sub');
    expect(JSON.parse(sub.stdout().trim())).toEqual({
      room: 'ITB-1101',
      event: { key: 'power', value: 'on' },
    });
    sub.child.kill('SIGINT');
    expect(await sub.exited).toBe(0);
  });

  it('pub sends its argument, or one event per line of stdin', async () => {
    const hub = await start();
    const listener = await WsPeer.connect(`${hub.url}/connect/messenger`);
    peers.push(listener);
    await listener.subscribe(['R']);
    const single = run(['pub', '--hub', hub.httpUrl, 'R', '{"n":1}']);
    expect(await single.exited).toBe(0);
    const piped = run(['pub', '--hub', hub.url, 'R'], '{"n":2}\n\n{"n":3}\n');
    expect(await piped.exited).toBe(0);
    expect((await listener.waitForEvents(3)).map((e) => e.event)).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
  });

  it('refuses invalid JSON with exit 1, before connecting', async () => {
    const bad = run(['pub', '--hub', 'ws://127.0.0.1:9', 'R'], '{"n":1}\nnot json\n');
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain('line 2 is not valid JSON');
  });

  it('status summarizes the hub; interconnect, links and unlink manage links', async () => {
    const [a, b] = [await start(), await start()];
    const status = run(['status', '--hub', a.url]);
    expect(await status.exited).toBe(0);
    expect(status.stdout()).toContain(`hub ${a.hubId}`);
    const linked = run(['interconnect', '--hub', a.url, `127.0.0.1:${b.port}`]);
    expect(await linked.exited).toBe(0);
    expect(linked.stdout()).toContain('open');
    const links = run(['links', '--hub', a.url]);
    expect(await links.exited).toBe(0);
    expect(links.stdout()).toContain(b.hubId);
    const unlinked = run(['unlink', '--hub', a.url, `127.0.0.1:${b.port}`]);
    expect(await unlinked.exited).toBe(0);
    const json = run(['status', '--json', '--hub', a.url]);
    expect(await json.exited).toBe(0);
    expect(JSON.parse(json.stdout()).links).toEqual([]);
  });

  it('says clearly when the hub cannot be reached, with exit 2', async () => {
    const status = run(['status', '--hub', 'http://127.0.0.1:9']);
    expect(await status.exited).toBe(2);
    expect(status.stderr()).toMatch(/^ces: cannot reach the hub at http:\/\/127\.0\.0\.1:9/);
    const sub = run(['sub', '--hub', 'ws://127.0.0.1:9', '--timeout', '500', 'R']);
    expect(await sub.exited).toBe(2);
    expect(sub.stderr()).toContain('cannot reach the hub at ws://127.0.0.1:9');
  });
});
