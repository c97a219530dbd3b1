import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp } from '../support/built-app';
import { ces, cesDone, CesRun, CesRunOptions, endRuns } from '../support/ces-cli';
import { untilSubscribed } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

interface Line {
  room: string;
  event: { n: number };
  position?: string;
}

const lines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);

describe('ces sub in history rooms', () => {
  const runs: CesRun[] = [];
  const peers: WsPeer[] = [];
  let hub: TestHub;
  let config: string;
  const run = (args: string[], options: CesRunOptions = {}) =>
    ces(args, { ...options, env: { XDG_CONFIG_HOME: config, ...options.env } }, runs);
  const done = (args: string[]) => cesDone(args, { env: { XDG_CONFIG_HOME: config } }, runs);

  beforeAll(() => builtApp('cli'), 120_000);
  beforeEach(async () => {
    config = mkdtempSync(join(tmpdir(), 'ces-config-'));
    hub = await startHub({ HUB_HISTORY_ROOMS: 'H-*' });
  });
  afterEach(async () => {
    await endRuns(runs);
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await hub.close();
    rmSync(config, { recursive: true, force: true });
  });

  const subscribed = (room: string) => untilSubscribed(hub.httpUrl, room);

  async function publish(from: number, to: number): Promise<void> {
    const publisher = await WsPeer.connect(`${hub.url}/connect/messenger`);
    peers.push(publisher);
    for (let n = from; n <= to; n++) publisher.send('H-1', { n });
    await publisher.roundTrip();
  }

  it('prints positions with --positions, and --resume-from replays what came after one', async () => {
    const first = run(['sub', '--hub', hub.url, '--json', '--positions', '--count', '2', 'H-1']);
    await subscribed('H-1');
    await publish(1, 2);
    expect(await first.exited).toBe(0);
    const seen = lines(first.stdout());
    expect(seen.map((line) => line.event.n)).toEqual([1, 2]);
    const epoch = seen[0].position!.split(':')[0];
    expect(seen.map((line) => line.position)).toEqual([`${epoch}:1`, `${epoch}:2`]);

    await publish(3, 5);
    const resumed = run([
      'sub',
      '--hub',
      hub.url,
      '--json',
      '--count',
      '3',
      '--resume-from',
      `H-1=${epoch}:2`,
      'H-1',
    ]);
    expect(await resumed.exited).toBe(0);
    expect(lines(resumed.stdout())).toEqual([
      { room: 'H-1', event: { n: 3 }, position: `${epoch}:3` },
      { room: 'H-1', event: { n: 4 }, position: `${epoch}:4` },
      { room: 'H-1', event: { n: 5 }, position: `${epoch}:5` },
    ]);
    expect(resumed.stderr()).toContain('H-1: recovered 3 missed event(s)');
  });

  it('says on stderr when a room could not be recovered', async () => {
    await publish(1, 1);
    const resumed = run(['sub', '--hub', hub.url, '--json', '--resume-from', 'H-1=gone:0', 'H-1']);
    await waitFor(() => resumed.stderr().includes('H-1:'), 'the recovery line');
    expect(resumed.stderr()).toContain(
      'H-1: could not recover what was missed (epoch-changed); going on from',
    );
  });

  it('refuses a --resume-from that is not ROOM=EPOCH:OFFSET', async () => {
    const bad = await done(['sub', '--hub', hub.url, '--resume-from', 'H-1=nocolon', 'H-1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ROOM=EPOCH:OFFSET');
  });
});
