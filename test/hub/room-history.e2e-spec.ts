import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eFixtures } from '../support/fixtures';
import { bearer, signTestJwt, TEST_JWT_SECRET } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';
import { linkEveryPair, untilLinkWants } from '../support/hub-harness';
import type { TestHub } from '../support/hub-harness';
import { publishPump } from '../support/publish-pump';
import type { HubSettings } from '../../apps/hub/src/config/hub-environment';

interface Report {
  room: string;
  recovered: boolean;
  reason?: string;
  epoch: string;
  offset: number;
  events?: number;
}

/** A positioned frame `ROOM\n@EPOCH:OFFSET\n<event>`, read by hand. */
function positioned(data: Buffer): { room: string; epoch: string; offset: number; n: number } {
  const [room, position, ...rest] = data.toString().split('\n');
  const match = /^@([^:]+):(\d+)$/.exec(position);
  if (!match) throw new Error(`not a positioned frame: ${data.toString()}`);
  const { n } = JSON.parse(rest.join('\n')) as { n: number };
  return { room, epoch: match[1], offset: Number(match[2]), n };
}

const binaries = (peer: WsPeer) => peer.frames.filter((f) => f.binary).map((f) => f.data);
const reports = (peer: WsPeer): Report[] =>
  peer.texts
    .map((text) => JSON.parse(text) as { recovery?: Report })
    .flatMap((message) => (message.recovery ? [message.recovery] : []));

describe('room history and recovery', () => {
  const { hub, connect, messenger, track } = e2eFixtures({ HUB_HISTORY_ROOMS: 'H-*' });

  async function positionedSubscriber(
    target: TestHub,
    rooms: string[],
    recover?: Record<string, { epoch: string; offset: number }>,
  ): Promise<WsPeer> {
    const peer = await connect(`${target.url}/connect/messenger`);
    await peer.subscribe(rooms, { positions: true, ...(recover ? { recover } : {}) });
    return peer;
  }

  /**
   * A hub with `settings`, a publisher, and a positioned subscriber to H-1 that has had the
   * event `{ n: 0, ...extra }`, with that event's position.
   */
  async function afterFirstEvent(settings: HubSettings, extra: object = {}) {
    const target = await hub(settings);
    const publisher = await messenger(target);
    const first = await positionedSubscriber(target, ['H-1']);
    publisher.send('H-1', { n: 0, ...extra });
    await waitFor(() => binaries(first).length === 1, 'the first event');
    const { epoch, offset } = positioned(binaries(first)[0]);
    return { target, publisher, first, epoch, offset };
  }

  it('gives a client that did not opt in exactly the bytes it gets today, and positions to one that did', async () => {
    const target = await hub();
    const plain = await messenger(target, ['H-1', 'other']);
    const opted = await positionedSubscriber(target, ['H-1', 'other']);
    const publisher = await messenger(target);
    const sent = [
      Buffer.from('H-1\n\n{"n":1}'), // the Go hub's form, forwarded as it came
      Buffer.from('H-1\n{"n":2}'),
      Buffer.from('other\n{"n":3}'),
    ];
    for (const frame of sent) publisher.sendRaw(frame);
    await waitFor(() => binaries(plain).length === 3 && binaries(opted).length === 3, 'events');

    expect(binaries(plain)).toEqual(sent);
    const [first, second, third] = binaries(opted);
    const { epoch } = positioned(first);
    expect(epoch).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(first.toString()).toBe(`H-1\n@${epoch}:1\n\n{"n":1}`);
    expect(second.toString()).toBe(`H-1\n@${epoch}:2\n{"n":2}`);
    // A room that keeps no history: today's bytes for everyone.
    expect(third).toEqual(sent[2]);
  });

  it.each(['memory', 'sqlite'] as const)(
    'replays all of 1,000 events missed while away, in order, then live ones, with no gap or duplicate at the seam (%s store)',
    async (store) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ces-history-'));
      track({ close: async () => rmSync(dataDir, { recursive: true, force: true }) });
      const target = await hub({
        HUB_HISTORY_SIZE: 10_000,
        HUB_STORE: store,
        HUB_DATA_DIR: dataDir,
      });
      const publisher = await messenger(target);
      // Publishes without pause across the disconnect and the resume.
      const pump = publishPump((n) => publisher.send('H-1', { n }), 20);

      const first = await positionedSubscriber(target, ['H-1']);
      await waitFor(() => binaries(first).length >= 100, '100 live events');
      await first.close();
      const seen = binaries(first).map(positioned);
      const last = seen[seen.length - 1];
      const awayFrom = pump.published;
      await waitFor(() => pump.published >= awayFrom + 1000, '1,000 events while away', 15_000);

      const second = await positionedSubscriber(target, ['H-1'], {
        'H-1': { epoch: last.epoch, offset: last.offset },
      });
      const resumedAt = pump.published;
      await waitFor(
        () => binaries(second).some((data) => positioned(data).n >= resumedAt + 500),
        '500 live events after the resume',
        15_000,
      );
      await pump.stop();
      await publisher.roundTrip();
      await waitFor(
        () => binaries(second).map(positioned).pop()?.n === pump.published - 1,
        'every event published',
      );

      const [report] = reports(second);
      expect(report).toMatchObject({ room: 'H-1', recovered: true, epoch: last.epoch });
      expect(report.events).toBeGreaterThanOrEqual(1000);
      // The report comes before the first replayed event.
      expect(second.frames[0].binary).toBe(false);
      const resumed = binaries(second).map(positioned);
      expect(resumed[0].offset).toBe(last.offset + 1);
      const all = [...seen, ...resumed].map((e) => e.n);
      expect(all).toEqual([...Array(pump.published).keys()].slice(seen[0].n));
      expect(resumed.map((e) => e.offset)).toEqual(resumed.map((_, i) => last.offset + 1 + i));
    },
  );

  it('says recovered:false (gap) when the history no longer holds what was missed, and replays nothing', async () => {
    const { target, publisher, first, epoch, offset } = await afterFirstEvent({
      HUB_HISTORY_SIZE: 10,
    });
    await first.close();
    for (let n = 1; n <= 20; n++) publisher.send('H-1', { n });
    await publisher.roundTrip();

    const second = await positionedSubscriber(target, ['H-1'], { 'H-1': { epoch, offset } });
    publisher.send('H-1', { n: 21 });
    await waitFor(() => binaries(second).length === 1, 'the live event');
    expect(reports(second)).toEqual([
      { room: 'H-1', recovered: false, reason: 'gap', epoch, offset: 21 },
    ]);
    expect(positioned(binaries(second)[0])).toMatchObject({ n: 21, offset: 22 });
  });

  it('refuses a changed epoch, a room without history, and more than the cap', async () => {
    const { target, publisher, epoch } = await afterFirstEvent({ HUB_HISTORY_MAX_RECOVERY: 5 });
    for (let n = 1; n <= 6; n++) publisher.send('H-1', { n });
    publisher.send('H-2', { n: 0 });
    await publisher.roundTrip();

    const second = await positionedSubscriber(target, ['H-1', 'H-2', 'plain'], {
      'H-1': { epoch, offset: 1 },
      'H-2': { epoch: 'older', offset: 1 },
      plain: { epoch, offset: 3 },
    });
    await waitFor(() => reports(second).length === 3, 'three reports');
    expect(reports(second)).toEqual([
      { room: 'H-1', recovered: false, reason: 'too-many', epoch, offset: 7 },
      { room: 'H-2', recovered: false, reason: 'epoch-changed', epoch, offset: 1 },
      { room: 'plain', recovered: false, reason: 'not-a-history-room', epoch, offset: 0 },
    ]);
    expect(binaries(second)).toEqual([]);

    // Within the cap, a resume from the same position replays.
    const third = await positionedSubscriber(target, ['H-1'], { 'H-1': { epoch, offset: 2 } });
    await waitFor(() => binaries(third).length === 5, 'five replayed events');
    expect(reports(third)).toEqual([{ room: 'H-1', recovered: true, epoch, offset: 7, events: 5 }]);
    expect(binaries(third).map((data) => positioned(data).n)).toEqual([2, 3, 4, 5, 6]);
  });

  it('says too-many rather than send part of a recovery that does not fit the send budget', async () => {
    const padding = 'x'.repeat(500);
    const { target, publisher, first, epoch, offset } = await afterFirstEvent(
      { HUB_SEND_HIGH_WATER_BYTES: 4096 },
      { padding },
    );
    await first.close();
    for (let n = 1; n <= 20; n++) publisher.send('H-1', { n, padding });
    await publisher.roundTrip();

    const second = await positionedSubscriber(target, ['H-1'], { 'H-1': { epoch, offset } });
    await waitFor(() => reports(second).length === 1, 'the report');
    expect(reports(second)).toEqual([
      { room: 'H-1', recovered: false, reason: 'too-many', epoch, offset: 21 },
    ]);
    expect(binaries(second)).toEqual([]);
  });

  it('says forbidden for a room the token does not grant, and replays none of it', async () => {
    const target = await hub({ HUB_JWT_SECRET: TEST_JWT_SECRET });
    const everything = await signTestJwt({});
    const onlyH1 = await signTestJwt({ rooms: { subscribe: ['H-1'] } });
    const publisher = await connect(`${target.url}/connect/messenger`, bearer(everything));
    const first = await connect(`${target.url}/connect/messenger`, bearer(everything));
    await first.subscribe(['H-2'], { positions: true });
    publisher.send('H-2', { n: 0 });
    await waitFor(() => binaries(first).length === 1, 'the first event');
    const { epoch, offset } = positioned(binaries(first)[0]);
    publisher.send('H-2', { n: 1 });
    await publisher.roundTrip();

    const second = await connect(`${target.url}/connect/messenger`, bearer(onlyH1));
    await second.subscribe(['H-2'], { positions: true, recover: { 'H-2': { epoch, offset } } });
    await waitFor(() => reports(second).length === 1, 'the report');
    expect(reports(second)).toEqual([
      { room: 'H-2', recovered: false, reason: 'forbidden', epoch, offset: 0 },
    ]);
    expect(second.errors.map((e) => e.error)).toEqual(['your token does not grant these rooms']);
    expect(binaries(second)).toEqual([]);
  });

  it('in a mesh: a gap when the room was not wanted from the links meanwhile, epoch-changed on another hub', async () => {
    const a = await hub();
    const b = await hub();
    await linkEveryPair([a, b]);
    const publisher = await messenger(a);
    const first = await positionedSubscriber(b, ['H-1']);
    await untilLinkWants(a, b, 1);
    publisher.send('H-1', { n: 0 });
    await waitFor(() => binaries(first).length === 1, 'the first event');
    const { epoch, offset } = positioned(binaries(first)[0]);
    await first.close();
    await untilLinkWants(a, b, 0);
    // Published on A while B wants nothing: it never reaches B's history.
    publisher.send('H-1', { n: 1 });
    await publisher.roundTrip();

    const onB = await positionedSubscriber(b, ['H-1'], { 'H-1': { epoch, offset } });
    const onA = await positionedSubscriber(a, ['H-1'], { 'H-1': { epoch, offset } });
    await waitFor(() => reports(onB).length === 1 && reports(onA).length === 1, 'the reports');
    expect(reports(onB)).toEqual([
      { room: 'H-1', recovered: false, reason: 'gap', epoch, offset: 1 },
    ]);
    expect(reports(onA)[0]).toMatchObject({
      room: 'H-1',
      recovered: false,
      reason: 'epoch-changed',
    });
    expect(reports(onA)[0].epoch).not.toBe(epoch);
    expect(binaries(onB)).toEqual([]);
    expect(binaries(onA)).toEqual([]);
  });
});
