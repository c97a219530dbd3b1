import { freePort } from '../support/built-app';
import { builtHubFixtures } from '../support/fixtures';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

interface Positioned {
  epoch: string;
  offset: number;
  n: number;
}

function positioned(data: Buffer): Positioned {
  const [, position, ...rest] = data.toString().split('\n');
  const match = /^@([^:]+):(\d+)$/.exec(position);
  if (!match) throw new Error(`not a positioned frame: ${data.toString()}`);
  return {
    epoch: match[1],
    offset: Number(match[2]),
    n: (JSON.parse(rest.join('\n')) as Positioned).n,
  };
}

const binaries = (peer: WsPeer) => peer.frames.filter((f) => f.binary).map((f) => f.data);
const reports = (peer: WsPeer) =>
  peer.texts.map((text) => (JSON.parse(text) as { recovery?: unknown }).recovery).filter(Boolean);

/** Built hubs as their own processes with an SQLite store, stopped for real between two runs. */
describe('room history across a hub restart', () => {
  const { spawnHub, track } = builtHubFixtures('ces-history-e2e-', { HUB_HISTORY_ROOMS: 'H-*' });

  async function peer(port: number): Promise<WsPeer> {
    return track(await WsPeer.connect(`ws://127.0.0.1:${port}/connect/messenger`));
  }

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'resumes from the same epoch after the hub is stopped with %s and started again',
    async (signal) => {
      const port = await freePort();
      const first = await spawnHub(port);
      const subscriber = await peer(port);
      await subscriber.subscribe(['H-1'], { positions: true });
      const publisher = await peer(port);
      for (let n = 0; n < 10; n++) publisher.send('H-1', { n });
      await waitFor(() => binaries(subscriber).length === 10, 'ten live events');
      await subscriber.close();
      const last = positioned(binaries(subscriber)[9]);
      for (let n = 10; n < 500; n++) publisher.send('H-1', { n });
      // Two round trips: the turn that routed the last event, and its write batch, are over.
      await publisher.roundTrip();
      await publisher.roundTrip();
      await first.stop(signal);

      await spawnHub(port);
      const resumed = await peer(port);
      await resumed.subscribe(['H-1'], {
        positions: true,
        recover: { 'H-1': { epoch: last.epoch, offset: last.offset } },
      });
      await waitFor(() => binaries(resumed).length === 490, '490 replayed events');
      expect(reports(resumed)).toEqual([
        { room: 'H-1', recovered: true, epoch: last.epoch, offset: 500, events: 490 },
      ]);
      const replayed = binaries(resumed).map(positioned);
      expect(replayed.map((e) => e.n)).toEqual([...Array(490).keys()].map((i) => i + 10));
      expect(replayed.every((e) => e.epoch === last.epoch)).toBe(true);

      // Offsets go on where they were.
      const again = await peer(port);
      again.send('H-1', { n: 500 });
      await waitFor(() => binaries(resumed).length === 491, 'a live event');
      expect(positioned(binaries(resumed)[490])).toMatchObject({ n: 500, offset: 501 });
    },
  );

  it('says epoch-changed after a restart with a memory store', async () => {
    const port = await freePort();
    const first = await spawnHub(port, { HUB_STORE: 'memory' });
    const subscriber = await peer(port);
    await subscriber.subscribe(['H-1'], { positions: true });
    const publisher = await peer(port);
    publisher.send('H-1', { n: 0 });
    await waitFor(() => binaries(subscriber).length === 1, 'the event');
    const { epoch } = positioned(binaries(subscriber)[0]);
    await first.stop('SIGTERM');

    await spawnHub(port, { HUB_STORE: 'memory' });
    const resumed = await peer(port);
    await resumed.subscribe(['H-1'], { positions: true, recover: { 'H-1': { epoch, offset: 1 } } });
    await waitFor(() => reports(resumed).length === 1, 'the report');
    const [report] = reports(resumed) as { reason: string; epoch: string }[];
    expect(report).toMatchObject({ reason: 'epoch-changed', offset: 0 });
    expect(report.epoch).not.toBe(epoch);
  });
});
