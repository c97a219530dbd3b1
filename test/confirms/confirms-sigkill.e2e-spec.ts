import { MessengerClient } from '@ces/messenger';
import { freePort } from '../support/built-app';
import { builtHubFixtures } from '../support/fixtures';
import { getJson } from '../support/http';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

type Numbered = { n: number };
const EVENTS = 4000;

/**
 * A built hub as its own process with an SQLite store, SIGKILLed while a publisher with
 * confirms publishes to a durable group, and started again on the same data directory.
 */
describe('publish confirms when the hub is SIGKILLed', () => {
  const { spawnHub, track } = builtHubFixtures('ces-confirms-kill-');

  async function groupMember(port: number): Promise<WsPeer> {
    const member = await WsPeer.connect(`ws://127.0.0.1:${port}/connect/messenger`);
    track(member);
    await member.subscribe(['R'], { group: 'billing', durable: true });
    return member;
  }

  it('loses no confirmed event, and the group gets none twice after the client resends', async () => {
    const port = await freePort();
    const first = await spawnHub(port);
    // The group's only member goes away: every event must wait in the store for it.
    await (await groupMember(port)).close();

    const publisher = new MessengerClient({
      hubUrl: `ws://127.0.0.1:${port}`,
      confirms: true,
      reconnect: { initialDelayMs: 50, maxDelayMs: 250 },
    });
    track(publisher);
    await publisher.connect();

    const confirmed = new Set<number>();
    const outcomes: Promise<void>[] = [];
    let confirmedAtKill = new Set<number>();
    // Killed while events are on their way: some taken and not confirmed, some not read.
    const restarted = waitFor(() => confirmed.size >= 1000, '1,000 confirms', 30_000)
      .then(() => first.stop('SIGKILL'))
      .then(() => {
        confirmedAtKill = new Set(confirmed);
        return spawnHub(port);
      });
    for (let n = 0; n < EVENTS; n++) {
      outcomes.push(publisher.publish('R', { n }).then(() => void confirmed.add(n)));
      if (n % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await restarted;
    await Promise.all(outcomes);

    expect(confirmedAtKill.size).toBeGreaterThanOrEqual(1000);
    expect(confirmedAtKill.size).toBeLessThan(EVENTS);
    expect(confirmed.size).toBe(EVENTS);
    expect(publisher.stats().reconnects).toBeGreaterThanOrEqual(1);

    const member = await groupMember(port);
    await member.waitForEvents(EVENTS, 20_000);
    await member.roundTrip();
    const delivered = member.events.map((e) => (e.event as Numbered).n);
    const lost = [...confirmedAtKill].filter((n) => !delivered.includes(n));
    const twice = delivered.length - new Set(delivered).size;
    expect({ lost: lost.length, twice, delivered: delivered.length }).toEqual({
      lost: 0,
      twice: 0,
      delivered: EVENTS,
    });
    const status = await getJson(`http://127.0.0.1:${port}/status`);
    expect(status.totals.groups.restored).toBeGreaterThanOrEqual(confirmedAtKill.size);
  }, 90_000);

  it('remembers what a publisher had taken across a SIGKILL: its resends are dropped, not stored again', async () => {
    const port = await freePort();
    const first = await spawnHub(port);
    await (await groupMember(port)).close();
    const before = await confirmingPeer(port, 1);
    for (let n = 1; n <= 100; n++) before.send('R', { n });
    await waitFor(() => lastConfirmed(before) === 100, 'confirmed 100');
    await first.stop('SIGKILL');

    await spawnHub(port);
    // As if the confirms of 51..100 had been lost with the hub: the client sends them again.
    const after = await confirmingPeer(port, 51);
    expect(JSON.parse(after.texts[0])).toEqual({ confirm: { publisher: 'pub-k', taken: 100 } });
    for (let n = 51; n <= 110; n++) after.send('R', { n });
    await waitFor(() => lastConfirmed(after) === 110, 'confirmed 110');

    const member = await groupMember(port);
    await member.waitForEvents(110);
    await member.roundTrip();
    expect(member.events.map((e) => (e.event as Numbered).n)).toEqual(
      [...Array(110).keys()].map((i) => i + 1),
    );
    const status = await getJson(`http://127.0.0.1:${port}/status`);
    expect(status.totals.dropped['duplicate-resend']).toBe(50);
  }, 60_000);

  async function confirmingPeer(port: number, next: number): Promise<WsPeer> {
    const peer = await WsPeer.connect(`ws://127.0.0.1:${port}/connect/messenger`);
    track(peer);
    peer.sendRaw(JSON.stringify({ confirm: { publisher: 'pub-k', next } }), false);
    await waitFor(() => peer.texts.length > 0, 'the confirm reply');
    return peer;
  }
});

function lastConfirmed(peer: WsPeer): number {
  const confirmed = peer.texts
    .map((text) => JSON.parse(text) as { confirmed?: number })
    .filter((frame) => frame.confirmed !== undefined);
  return confirmed.at(-1)?.confirmed ?? 0;
}
