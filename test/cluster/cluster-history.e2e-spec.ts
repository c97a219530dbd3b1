import { jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import type { HubSettings } from '../../apps/hub/src/config/hub-environment';
import { clusterStatus, untilConnected } from '../support/cluster-interest';
import { e2eFixtures } from '../support/fixtures';
import { Json } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { NatsCluster, startNatsCluster } from '../support/nats-cluster';
import { publishPump } from '../support/publish-pump';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

interface Report {
  room: string;
  recovered: boolean;
  reason?: string;
  epoch: string;
  offset: number;
  events?: number;
}

interface Positioned {
  room: string;
  epoch: string;
  offset: number;
  /** The event's publisher and number: `a7`. */
  id: string;
}

/** A positioned frame `ROOM\n@EPOCH:OFFSET\n<event>`, read by hand. */
function positioned(data: Buffer): Positioned {
  const [room, position, ...rest] = data.toString().split('\n');
  const match = /^@([^:]+):(\d+)$/.exec(position);
  if (!match) throw new Error(`not a positioned frame: ${data.toString()}`);
  const { p, n } = JSON.parse(rest.join('\n')) as { p: string; n: number };
  return { room, epoch: match[1], offset: Number(match[2]), id: `${p}${n}` };
}

const binaries = (peer: WsPeer) => peer.frames.filter((f) => f.binary).map((f) => f.data);
const events = (peer: WsPeer, room = 'H-1') =>
  binaries(peer)
    .map(positioned)
    .filter((event) => event.room === room);
const reports = (peer: WsPeer): Report[] =>
  peer.texts
    .map((text) => JSON.parse(text) as { recovery?: Report })
    .flatMap((message) => (message.recovery ? [message.recovery] : []));
const history = async (hub: TestHub): Promise<Json> => (await clusterStatus(hub)).history;

/** Every hub's copy has caught up with the stream once. */
const untilReady = (targets: TestHub[]) =>
  waitFor(
    async () => (await Promise.all(targets.map(history))).every((each) => each.ready === true),
    'the hubs to read the history stream',
    15_000,
  );

/**
 * Room history in cluster mode lives in one JetStream stream: every hub reads it into its own
 * copy, positions are the cluster's (one epoch, the stream's sequences as offsets), so a
 * messenger that comes back on another hub of the cluster gets what it missed.
 */
describe('cluster mode: room history in JetStream', () => {
  let nats: NatsCluster;
  let hubs: TestHub[];
  const { connect, messenger } = e2eFixtures();
  const settings: HubSettings = { HUB_HISTORY_ROOMS: 'H-*', HUB_HISTORY_SIZE: 10_000 };

  const startClusterHub = async () =>
    startHub({ ...settings, HUB_NATS_SERVERS: nats.servers, HUB_NATS_REPLICAS: 3 });

  /** A subscriber of `rooms` on `hub` that asked for positions (and to resume, with `recover`). */
  async function positionedSubscriber(
    hub: TestHub,
    rooms: string[],
    recover?: Record<string, { epoch: string; offset: number }>,
  ): Promise<WsPeer> {
    const peer = await connect(`${hub.url}/connect/messenger`);
    await peer.subscribe(rooms, { positions: true, ...(recover ? { recover } : {}) });
    return peer;
  }

  beforeAll(async () => {
    nats = await startNatsCluster(3);
    hubs = [];
    for (let i = 0; i < 3; i++) hubs.push(await startClusterHub());
    await untilConnected(hubs);
    await untilReady(hubs);
  });

  afterAll(async () => {
    await Promise.all(hubs.map((hub) => hub.close()));
    await nats.stop();
  });

  it('has one epoch on every hub of the cluster', async () => {
    const epochs = await Promise.all(hubs.map(async (hub) => (await history(hub)).epoch));
    expect(epochs[0]).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(new Set(epochs).size).toBe(1);

    const [a, b, c] = hubs;
    const onB = await positionedSubscriber(b, ['H-epoch']);
    const onC = await positionedSubscriber(c, ['H-epoch']);
    (await messenger(a)).send('H-epoch', { p: 'a', n: 0 });
    await waitFor(
      () => events(onB, 'H-epoch').length + events(onC, 'H-epoch').length === 2,
      'both',
    );
    expect(events(onB, 'H-epoch')).toEqual(events(onC, 'H-epoch'));
    expect(events(onB, 'H-epoch')[0].epoch).toBe(epochs[0]);
  });

  it('gives a client that did not opt in the original bytes, positions to one that did', async () => {
    const [a, b] = hubs;
    const plain = await messenger(b, ['H-bytes', 'other']);
    const opted = await positionedSubscriber(b, ['H-bytes', 'other']);
    const publisher = await messenger(a);
    // Interest in H-bytes and other has crossed the cluster once a plain event arrives.
    await waitFor(async () => {
      publisher.send('other', { warmUp: true });
      await new Promise((resolve) => setTimeout(resolve, 50));
      return binaries(plain).length > 0;
    }, 'the cluster to carry the rooms to hub B');
    plain.frames.length = 0;
    opted.frames.length = 0;
    const sent = [
      Buffer.from('H-bytes\n\n{"p":"a","n":1}'), // the Go hub's form, forwarded as it came
      Buffer.from('H-bytes\n{"p":"a","n":2}'),
      Buffer.from('other\n{"p":"a","n":3}'),
    ];
    for (const frame of sent) publisher.sendRaw(frame);
    await waitFor(() => binaries(plain).length === 3 && binaries(opted).length === 3, 'events');

    expect(binaries(plain)).toEqual(sent);
    const positionedOnes = binaries(opted).filter((data) => data.toString().includes('\n@'));
    expect(positionedOnes).toHaveLength(2);
    const [first, second] = positionedOnes.map(positioned);
    expect(positionedOnes[0].toString()).toBe(
      `H-bytes\n@${first.epoch}:${first.offset}\n\n{"p":"a","n":1}`,
    );
    expect(second.offset).toBeGreaterThan(first.offset);
    // A room that keeps no history: the original bytes for everyone.
    expect(binaries(opted)).toContainEqual(sent[2]);
  });

  it('never gives a positioned sender its own event, and a positioned `*` subscriber one copy', async () => {
    const [a, b] = hubs;
    const sender = await positionedSubscriber(a, ['H-own']);
    const neighbour = await positionedSubscriber(a, ['H-own']);
    const everything = await positionedSubscriber(b, ['H-own', '*']);
    sender.send('H-own', { p: 's', n: 0 });
    sender.send('H-own', { p: 's', n: 1 });
    await waitFor(
      () => events(neighbour, 'H-own').length === 2 && events(everything, 'H-own').length === 2,
      'both events on both hubs',
    );
    // A last event from another peer: once it has arrived, the sender's own would have too.
    (await messenger(a)).send('H-own', { p: 'x', n: 2 });
    await waitFor(
      () => events(sender, 'H-own').length === 1 && events(everything, 'H-own').length === 3,
      "the other peer's event on both hubs",
    );
    // Each frame once, and all positioned (`events` throws on a plain one).
    expect(binaries(everything)).toHaveLength(3);
    expect(events(sender, 'H-own').map((e) => e.id)).toEqual(['x2']);
    expect(events(everything, 'H-own').map((e) => e.id)).toEqual(['s0', 's1', 'x2']);
    expect(events(neighbour, 'H-own').map((e) => e.id)).toEqual(['s0', 's1', 'x2']);
  });

  it('replays on hub B all of 1,000 events missed on hub A, in order, then live ones, none twice', async () => {
    const [a, b, c] = hubs;
    // Connected throughout: the order of the room's events as the cluster's history has it.
    const reference = await positionedSubscriber(c, ['H-1']);
    const onA = await messenger(a);
    const onB = await messenger(b);
    // Publishers on two hubs; B's also into another history room, whose events take offsets.
    const pumpA = publishPump((n) => onA.send('H-1', { p: 'a', n }), 1);
    const pumpB = publishPump((n) => onB.send(n % 3 === 0 ? 'H-2' : 'H-1', { p: 'b', n }), 1);
    const published = () => pumpA.published + pumpB.published;

    const first = await positionedSubscriber(a, ['H-1']);
    await waitFor(() => events(first).length >= 100, '100 live events on hub A', 15_000);
    await first.close();
    const seen = events(first);
    const last = seen[seen.length - 1];
    const awayFrom = published();
    await waitFor(() => published() >= awayFrom + 1500, '1,000 events while away', 30_000);

    const second = await positionedSubscriber(b, ['H-1'], {
      'H-1': { epoch: last.epoch, offset: last.offset },
    });
    const resumedAt = events(reference).length;
    await waitFor(
      () => events(second).length > 0 && events(reference).length >= resumedAt + 300,
      '300 live events after the resume',
      30_000,
    );
    await Promise.all([pumpA.stop(), pumpB.stop()]);
    await Promise.all([onA.roundTrip(), onB.roundTrip()]);
    const inH1 = pumpA.published + pumpB.published - Math.ceil(pumpB.published / 3);
    await waitFor(
      () =>
        events(reference).length === inH1 &&
        events(second).at(-1)?.id === events(reference).at(-1)?.id,
      'every event published to reach both subscribers',
      30_000,
    );

    const [report] = reports(second);
    expect(report).toMatchObject({ room: 'H-1', recovered: true, epoch: last.epoch });
    expect(report.events).toBeGreaterThanOrEqual(1000);
    expect(second.frames[0].binary).toBe(false);
    const resumed = events(second);
    const whole = events(reference);
    const from = whole.findIndex((event) => event.id === seen[0].id);
    expect([...seen, ...resumed].map((e) => e.id)).toEqual(whole.slice(from).map((e) => e.id));
    // Offsets increase and skip the other room's: a client takes them as opaque.
    const offsets = [...seen, ...resumed].map((e) => e.offset);
    expect(offsets.every((offset, i) => i === 0 || offset > offsets[i - 1])).toBe(true);
    expect(offsets.some((offset, i) => i > 0 && offset > offsets[i - 1] + 1)).toBe(true);
    for (const hub of hubs)
      expect(await history(hub)).toMatchObject({ dropped: 0, epochChanges: 0 });
  });

  it('rebuilds the copy of a restarted hub from the stream, and resumes a client there', async () => {
    const [a, , c] = hubs;
    const publisher = await messenger(a);
    const first = await positionedSubscriber(a, ['H-restart']);
    for (let n = 0; n < 5; n++) publisher.send('H-restart', { p: 'a', n });
    await waitFor(() => events(first, 'H-restart').length === 5, 'the first 5 events');
    const last = events(first, 'H-restart')[4];
    await first.close();

    await c.close();
    for (let n = 5; n < 25; n++) publisher.send('H-restart', { p: 'a', n });
    await publisher.roundTrip();
    const restarted = await startClusterHub();
    hubs[2] = restarted;
    // Asked at once: the resume waits until the new hub's copy has read the stream.
    const second = await positionedSubscriber(restarted, ['H-restart'], {
      'H-restart': { epoch: last.epoch, offset: last.offset },
    });
    await waitFor(() => events(second, 'H-restart').length === 20, 'the 20 missed events', 15_000);
    expect(reports(second)).toEqual([
      expect.objectContaining({ room: 'H-restart', recovered: true, events: 20 }),
    ]);
    expect(events(second, 'H-restart').map((e) => e.id)).toEqual(
      Array.from({ length: 20 }, (_, i) => `a${i + 5}`),
    );
    publisher.send('H-restart', { p: 'a', n: 25 });
    await waitFor(() => events(second, 'H-restart').length === 21, 'the live event');
    expect(events(second, 'H-restart')[20].id).toBe('a25');
  });

  it("confirms a publisher's events of a history room only once the stream has them", async () => {
    // A hub on one NATS server only: with the two others gone the stream (3 replicas) has
    // no quorum and takes nothing, while that server still carries NATS core.
    const only = await startHub({
      ...settings,
      HUB_NATS_SERVERS: nats.nodes[0].url,
      HUB_NATS_REPLICAS: 3,
    });
    try {
      await untilConnected([only]);
      await untilReady([only]);
      const publisher = await connect(`${only.url}/connect/messenger`);
      publisher.sendRaw(JSON.stringify({ confirm: { publisher: 'history-confirms', next: 1 } }));
      await publisher.roundTrip();
      await Promise.all([nats.nodes[1].kill(), nats.nodes[2].kill()]);
      for (let n = 0; n < 50; n++) publisher.send('H-confirmed', { p: 'c', n });
      await waitFor(
        async () => (await history(only)).publishRetries > 0,
        'the stream to refuse the events',
        15_000,
      );
      const confirmedUpTo = () =>
        Math.max(
          0,
          ...publisher.texts.map(
            (text) => (JSON.parse(text) as { confirmed?: number }).confirmed ?? 0,
          ),
        );
      expect(confirmedUpTo()).toBe(0);

      await Promise.all([nats.nodes[1].restart(), nats.nodes[2].restart()]);
      await waitFor(() => confirmedUpTo() === 50, 'the confirm of all 50', 30_000);
      await nats.untilRouted(30_000);
      const nc = await natsConnect({ servers: nats.nodes[0].url });
      try {
        const subject = 'ces.hist.H-confirmed';
        const jsm = await jetstreamManager(nc);
        const info = await jsm.streams.info((await history(only)).stream, {
          subjects_filter: subject,
        });
        expect(info.state.subjects).toEqual({ [subject]: 50 });
      } finally {
        await nc.close();
      }
    } finally {
      await only.close();
    }
    await nats.untilRouted(30_000);
    await untilConnected(hubs, 30_000);
  });
});

describe('cluster mode: a resume beyond the history', () => {
  let nats: NatsCluster;
  let hubs: TestHub[];
  const { connect, messenger } = e2eFixtures();

  beforeAll(async () => {
    nats = await startNatsCluster(3);
    hubs = [];
    for (let i = 0; i < 2; i++)
      hubs.push(
        await startHub({
          HUB_HISTORY_ROOMS: 'H-*',
          HUB_HISTORY_SIZE: 10,
          HUB_NATS_SERVERS: nats.servers,
        }),
      );
    await untilConnected(hubs);
    await untilReady(hubs);
  });

  afterAll(async () => {
    await Promise.all(hubs.map((hub) => hub.close()));
    await nats.stop();
  });

  it('says recovered:false (gap) on another hub when the history no longer holds what was missed', async () => {
    const [a, b] = hubs;
    const publisher = await messenger(a);
    const first = await connect(`${a.url}/connect/messenger`);
    await first.subscribe(['H-1'], { positions: true });
    publisher.send('H-1', { p: 'a', n: 0 });
    await waitFor(() => events(first).length === 1, 'the first event');
    const { epoch, offset } = events(first)[0];
    await first.close();
    for (let n = 1; n <= 20; n++) publisher.send('H-1', { p: 'a', n });
    await waitFor(async () => (await history(b)).lastSequence === offset + 20, 'B to read all');

    const second = await connect(`${b.url}/connect/messenger`);
    await second.subscribe(['H-1'], { positions: true, recover: { 'H-1': { epoch, offset } } });
    publisher.send('H-1', { p: 'a', n: 21 });
    await waitFor(() => events(second).length === 1, 'the live event');
    expect(reports(second)).toEqual([
      { room: 'H-1', recovered: false, reason: 'gap', epoch, offset: offset + 20 },
    ]);
    expect(events(second)[0].id).toBe('a21');
  });

  it('says epoch-changed for a position of another epoch', async () => {
    const [, b] = hubs;
    const second = await connect(`${b.url}/connect/messenger`);
    await second.subscribe(['H-1'], {
      positions: true,
      recover: { 'H-1': { epoch: 'otherEp0', offset: 1 } },
    });
    await waitFor(() => reports(second).length === 1, 'the report');
    expect(reports(second)[0]).toMatchObject({ recovered: false, reason: 'epoch-changed' });
    expect(reports(second)[0].epoch).toBe((await history(b)).epoch);
  });

  it('takes a stream deleted and made again as a new epoch: a resume from the old one is refused', async () => {
    const [a, b] = hubs;
    const publisher = await messenger(a);
    const first = await connect(`${a.url}/connect/messenger`);
    await first.subscribe(['H-new'], { positions: true });
    publisher.send('H-new', { p: 'a', n: 0 });
    await waitFor(() => events(first, 'H-new').length === 1, 'the first event');
    const old = events(first, 'H-new')[0];
    await first.close();

    const nc = await natsConnect({ servers: nats.nodes[0].url });
    try {
      await (await jetstreamManager(nc)).streams.delete((await history(a)).stream);
    } finally {
      await nc.close();
    }
    await waitFor(
      async () =>
        (await Promise.all(hubs.map(history))).every(
          (each) => each.epoch !== old.epoch && each.ready === true,
        ),
      'the hubs to read the new stream',
      15_000,
    );
    const epochs = new Set(await Promise.all(hubs.map(async (hub) => (await history(hub)).epoch)));
    expect(epochs.size).toBe(1);
    for (const hub of hubs) expect((await history(hub)).epochChanges).toBe(1);

    const second = await connect(`${b.url}/connect/messenger`);
    await second.subscribe(['H-new'], {
      positions: true,
      recover: { 'H-new': { epoch: old.epoch, offset: old.offset } },
    });
    publisher.send('H-new', { p: 'a', n: 1 });
    await waitFor(() => events(second, 'H-new').length === 1, 'the live event');
    const [epoch] = epochs;
    expect(reports(second)).toEqual([
      { room: 'H-new', recovered: false, reason: 'epoch-changed', epoch, offset: 0 },
    ]);
    expect(events(second, 'H-new')[0]).toMatchObject({ epoch, id: 'a1' });
  });
});
