import { getJson } from '../support/http';
import { e2eFixtures } from '../support/fixtures';
import { linkEveryPair, TestHub, untilLinkWants } from '../support/hub-harness';
import { eventsAmong } from '../support/peer-events';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

type Numbered = { n: number };
const numbers = (peer: WsPeer) => peer.events.map((e) => (e.event as Numbered).n);

describe('consumer groups', () => {
  const { hub: start, messenger } = e2eFixtures();
  const member = async (hub: TestHub, group: string, durable = false) => {
    const peer = await messenger(hub);
    await peer.subscribe(['R'], durable ? { group, durable } : { group });
    return peer;
  };

  it('gives every plain subscriber each event, and the group each event once, round robin', async () => {
    const hub = await start();
    const members = [await member(hub, 'g'), await member(hub, 'g'), await member(hub, 'g')];
    const plain = [await messenger(hub), await messenger(hub)];
    for (const peer of plain) await peer.subscribe(['R']);
    const sender = await messenger(hub);
    for (let n = 0; n < 30; n++) sender.send('R', { n });

    for (const peer of plain)
      expect(numbers(await waitForCount(peer, 30))).toEqual([...Array(30).keys()]);
    await waitFor(() => eventsAmong(members) === 30, '30 group events');
    await sender.roundTrip();
    const all = members.flatMap(numbers).sort((a, b) => a - b);
    expect(all).toEqual([...Array(30).keys()]);
    for (const m of members) expect(Math.abs(m.events.length - 10)).toBeLessThanOrEqual(1);
  });

  it('delivers each event once per group across a mesh of three hubs', async () => {
    const [a, b, c] = [await start(), await start(), await start()];
    await linkEveryPair([a, b, c]);
    const onB = [await member(b, 'workers'), await member(b, 'workers')];
    const onC = [await member(c, 'workers')];
    const auditors = [await member(b, 'audit'), await member(c, 'audit')];
    // Advertisements travel between hubs: wait until A knows both groups on both hubs.
    await waitFor(async () => {
      const groups = (await getJson(`${a.httpUrl}/status`)).groups;
      return groups.workers?.members === 2 && groups.audit?.members === 2;
    }, 'hub A to learn the groups');

    const sender = await messenger(a);
    for (let n = 0; n < 20; n++) sender.send('R', { n });
    const workers = [...onB, ...onC];
    await waitFor(() => eventsAmong(workers) === 20, 'the workers to get 20');
    await waitFor(() => eventsAmong(auditors) === 20, 'the auditors to get 20');
    // A barrier from each hub: duplicates would have arrived before it.
    const watcher = await messenger(c);
    await watcher.subscribe(['barrier']);
    for (const hub of [a, b]) await untilLinkWants(hub, c, 1);
    for (const hub of [a, b]) (await messenger(hub)).send('barrier', { n: -1 });
    await watcher.waitForEvents(2);
    expect(workers.flatMap(numbers).sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    expect(auditors.flatMap(numbers).sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    expect(onC[0].events.length).toBeGreaterThan(0);
    expect(onB.every((m) => m.events.length > 0)).toBe(true);
  });

  it('keeps a durable group’s events while it has no member and delivers them in order', async () => {
    const hub = await start();
    const first = await member(hub, 'billing', true);
    await first.close();
    const sender = await messenger(hub);
    for (let n = 0; n < 50; n++) sender.send('R', { n });
    await sender.roundTrip();
    expect((await getJson(`${hub.httpUrl}/status`)).backlogs.billing).toBe(50);

    const next = await member(hub, 'billing', true);
    expect(numbers(await waitForCount(next, 50))).toEqual([...Array(50).keys()]);
  });

  it('hands a departed member’s unacknowledged events to another member', async () => {
    const hub = await start();
    const early = await member(hub, 'billing', true);
    const sender = await messenger(hub);
    for (let n = 0; n < 8; n++) sender.send('R', { n });
    await waitForCount(early, 8);
    early.sendRaw(JSON.stringify({ ack: 3 }), false); // processed 0, 1 and 2
    await early.roundTrip();

    const late = await member(hub, 'billing', true);
    await early.close();
    expect(numbers(await waitForCount(late, 5)).sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.totals.groups.redelivered).toBe(5);
  });

  it('redelivers an event not acknowledged within the ack timeout', async () => {
    const hub = await start({ HUB_ACK_TIMEOUT_MS: 200 });
    const slow = await member(hub, 'billing', true);
    const other = await member(hub, 'billing', true);
    const sender = await messenger(hub);
    sender.send('R', { n: 1 });
    const [got, idle] = await Promise.race([
      waitForCount(slow, 1).then(() => [slow, other]),
      waitForCount(other, 1).then(() => [other, slow]),
    ]);
    // Nobody acknowledges: after the timeout the event goes to the other member.
    expect(numbers(await waitForCount(idle, 1))).toEqual([1]);
    expect(numbers(got)).toEqual([1]);
  });

  it('bounds a durable group’s backlog and counts what it drops', async () => {
    const hub = await start({ HUB_DURABLE_MAX_EVENTS: 10 });
    await (await member(hub, 'billing', true)).close();
    const sender = await messenger(hub);
    for (let n = 0; n < 25; n++) sender.send('R', { n });
    await sender.roundTrip();
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.backlogs.billing).toBe(10);
    expect(status.totals.dropped['backlog-full']).toBe(15);
    const next = await member(hub, 'billing', true);
    expect(numbers(await waitForCount(next, 10))).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  });

  it('bounds each room’s share of a durable group’s backlog, counting what a busy room drops', async () => {
    const hub = await start({ HUB_DURABLE_ROOM_MAX_EVENTS: 3 });
    const owner = await messenger(hub);
    await owner.subscribe(['busy', 'quiet'], { group: 'billing', durable: true });
    await owner.close();
    const sender = await messenger(hub);
    sender.send('quiet', { n: 0 });
    for (let n = 1; n <= 10; n++) sender.send('busy', { n });
    await sender.roundTrip();
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.backlogs.billing).toBe(4);
    expect(status.totals.dropped).toMatchObject({ 'room-backlog-full': 7 });
    expect(status.totals.dropped['backlog-full']).toBeUndefined();
    const next = await messenger(hub);
    await next.subscribe(['busy', 'quiet'], { group: 'billing', durable: true });
    expect(numbers(await waitForCount(next, 4))).toEqual([0, 8, 9, 10]);
  });
});

async function waitForCount(peer: WsPeer, count: number): Promise<WsPeer> {
  await peer.waitForEvents(count);
  return peer;
}
