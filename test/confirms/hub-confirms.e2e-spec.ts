import { CloseCodes } from '@ces/protocol';
import { e2eFixtures } from '../support/fixtures';
import { getJson } from '../support/http';
import { bearer, signTestJwt, TEST_JWT_SECRET } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

type Numbered = { n: number };
const numbers = (peer: WsPeer) => peer.events.map((e) => (e.event as Numbered).n);
const range = (from: number, to: number) => [...Array(to - from).keys()].map((i) => i + from);

/** The confirm messages a peer was sent, parsed, in order. */
const confirmFrames = (peer: WsPeer) =>
  peer.texts
    .map((text) => JSON.parse(text) as Record<string, unknown>)
    .filter((frame) => 'confirm' in frame || 'confirmed' in frame || 'refused' in frame);
const confirmedOf = (peer: WsPeer) =>
  confirmFrames(peer)
    .filter((frame) => 'confirmed' in frame)
    .map((frame) => frame.confirmed as number);
const lastConfirmed = (peer: WsPeer) => confirmedOf(peer).at(-1) ?? 0;

/** Bare sockets speaking the confirm messages by hand (docs/protocol.md §4.4). */
describe('publish confirms on the hub', () => {
  const { hub: start, connect, messenger } = e2eFixtures();

  async function publisher(url: string, publisher: string, next: number, options = {}) {
    const peer = await connect(`${url}/connect/messenger`, options);
    peer.sendRaw(JSON.stringify({ confirm: { publisher, next } }), false);
    await waitFor(() => confirmFrames(peer).length > 0, 'the confirm reply');
    return peer;
  }

  it('confirms cumulatively and in order, and only to the publisher that asked', async () => {
    const hub = await start();
    const subscriber = await messenger(hub, ['R']);
    const plain = await messenger(hub);
    const peer = await publisher(hub.url, 'pub-1', 1);
    expect(confirmFrames(peer)).toEqual([{ confirm: { publisher: 'pub-1', taken: 0 } }]);
    for (let n = 1; n <= 500; n++) peer.send('R', { n });
    plain.send('R', { n: 0 });
    await waitFor(() => lastConfirmed(peer) === 500, 'confirmed 500');
    const confirmed = confirmedOf(peer);
    expect([...confirmed].sort((a, b) => a - b)).toEqual(confirmed);
    expect(new Set(confirmed).size).toBe(confirmed.length);
    await subscriber.waitForEvents(501);
    await plain.roundTrip();
    expect(plain.texts).toEqual([]);
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.confirms).toMatchObject({ publishers: 1, refused: 0, resends: 0 });
    expect(status.confirms.confirmed).toBe(confirmed.length);
  });

  it('reports each refused event with its sequence and reason, and confirms past it', async () => {
    const hub = await start({ HUB_JWT_SECRET: TEST_JWT_SECRET });
    const token = await signTestJwt({ kinds: ['messenger'], rooms: { publish: ['R'] } });
    const open = await signTestJwt({ kinds: ['messenger'] });
    const subscriber = await connect(`${hub.url}/connect/messenger`, bearer(open));
    await subscriber.subscribe(['R', 'S']);
    const peer = await publisher(hub.url, 'pub-2', 1, bearer(token));
    peer.send('R', { n: 1 });
    peer.send('S', { n: 2 });
    peer.sendRaw(Buffer.from('no newline here'));
    peer.send('R', { n: 4 });
    await waitFor(() => lastConfirmed(peer) === 4, 'confirmed 4');
    const frames = confirmFrames(peer);
    expect(frames.filter((frame) => 'refused' in frame)).toEqual([
      {
        refused: {
          seq: 2,
          reason: 'publish-forbidden',
          message: 'your token does not grant publishing into S',
        },
      },
      { refused: { seq: 3, reason: 'no-newline', message: expect.any(String) } },
    ]);
    // Each refusal comes before the first confirm that covers it.
    for (const [at, frame] of frames.entries()) {
      if (!('refused' in frame)) continue;
      const { seq } = frame.refused as { seq: number };
      expect(at).toBeLessThan(frames.findIndex((f) => (f.confirmed as number) >= seq));
    }
    await subscriber.waitForEvents(2);
    expect(numbers(subscriber)).toEqual([1, 4]);
  });

  it('reports events over the publish rate as refused, rate-limited', async () => {
    const hub = await start({ HUB_PUBLISH_RATE: 1, HUB_PUBLISH_BURST: 3 });
    const subscriber = await messenger(hub, ['R']);
    const peer = await publisher(hub.url, 'pub-3', 1);
    for (let n = 1; n <= 10; n++) peer.send('R', { n });
    await waitFor(() => lastConfirmed(peer) === 10, 'confirmed 10');
    const refused = confirmFrames(peer)
      .filter((frame) => 'refused' in frame)
      .map((frame) => frame.refused as { seq: number; reason: string });
    await subscriber.roundTrip();
    const delivered = numbers(subscriber);
    expect(delivered.length + refused.length).toBe(10);
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(new Set(refused.map((r) => r.reason))).toEqual(new Set(['rate-limited']));
    expect([...delivered, ...refused.map((r) => r.seq)].sort((a, b) => a - b)).toEqual(
      range(1, 11),
    );
  });

  it('drops a resend after a reconnect: nothing it had taken is delivered twice', async () => {
    const hub = await start();
    const subscriber = await messenger(hub, ['R']);
    const first = await publisher(hub.url, 'pub-4', 1);
    for (let n = 1; n <= 10; n++) first.send('R', { n });
    await waitFor(() => lastConfirmed(first) === 10, 'confirmed 10');
    await first.close();

    // As if the confirms of 6..10 had been lost with the connection: the client sends them again.
    const second = await publisher(hub.url, 'pub-4', 6);
    expect(confirmFrames(second)).toEqual([{ confirm: { publisher: 'pub-4', taken: 10 } }]);
    for (let n = 6; n <= 12; n++) second.send('R', { n });
    await waitFor(() => lastConfirmed(second) === 12, 'confirmed 12');
    await subscriber.roundTrip();
    expect(numbers(subscriber)).toEqual(range(1, 13));
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.totals.dropped['duplicate-resend']).toBe(5);
    expect(status.confirms.resends).toBe(5);
    const metrics = await (await fetch(`${hub.httpUrl}/metrics`)).text();
    expect(metrics).toContain('ces_hub_confirms_total{what="resends"} 5');
    expect(metrics).toContain('ces_hub_events_dropped_total{reason="duplicate-resend"} 5');
    expect(metrics).toMatch(/^ces_hub_confirm_publishers 1$/m);
  });

  it('closes a publisher whose refusal does not fit its send budget, and refuses that event again', async () => {
    const hub = await start({ HUB_JWT_SECRET: TEST_JWT_SECRET, HUB_SEND_HIGH_WATER_BYTES: 1024 });
    const token = await signTestJwt({ kinds: ['messenger'], rooms: { publish: ['R'] } });
    const peer = await publisher(hub.url, 'pub-6', 1, bearer(token));
    // It stops reading: the hub's error frames and refusals pile up in front of it, past
    // what the kernel's socket buffers hold.
    const tcp = (peer.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    tcp.pause();
    const forbidden = `S-${'x'.repeat(62)}`;
    const sent = 60_000;
    for (let n = 1; n <= sent; n++) peer.send(forbidden, { n });
    const operator = bearer(await signTestJwt({ operator: true })).headers;
    const gone = async () =>
      (await getJson(`${hub.httpUrl}/status`, operator)).peers.messengers.length === 0;
    await waitFor(gone, 'the hub to close the publisher', 20_000);
    tcp.resume();
    // 4008, or cut off (1006) when the close frame did not fit either.
    expect([CloseCodes.slowConsumer, 1006]).toContain(await peer.waitForClose());
    const { totals, confirms } = await getJson(`${hub.httpUrl}/status`, operator);
    expect(totals.disconnected['confirm-over-budget']).toBe(1);
    const reported = confirms.refused;

    const again = await publisher(hub.url, 'pub-6', 1, bearer(token));
    const { taken } = (confirmFrames(again)[0] as { confirm: { taken: number } }).confirm;
    // Taken: exactly the events whose refusal went out; not the one whose refusal did not fit.
    expect(taken).toBe(reported);
    expect(taken).toBeLessThan(sent);
    // Sequences 1..taken are resends; the next was never reported, so it is refused again.
    for (let n = 1; n <= taken + 1; n++) again.send(forbidden, { n });
    await waitFor(() => lastConfirmed(again) === taken + 1, `confirmed ${taken + 1}`, 20_000);
    expect(confirmFrames(again).filter((frame) => 'refused' in frame)).toEqual([
      { refused: { seq: taken + 1, reason: 'publish-forbidden', message: expect.any(String) } },
    ]);
  }, 60_000);

  it('refuses a malformed confirm request with the fields at fault, and a second one', async () => {
    const hub = await start();
    const peer = await messenger(hub);
    peer.sendRaw(JSON.stringify({ confirm: { publisher: 'a b', next: 0 } }), false);
    await waitFor(() => peer.errors.length === 1, 'the error frame');
    expect(peer.errors[0]).toEqual({
      error: 'invalid confirm message',
      fields: ['confirm.next', 'confirm.publisher'],
    });
    const ok = await publisher(hub.url, 'pub-5', 1);
    ok.sendRaw(JSON.stringify({ confirm: { publisher: 'pub-5', next: 1 } }), false);
    await waitFor(() => ok.errors.length === 1, 'the second error frame');
    // A subscription naming a room "confirm" is still a subscription.
    await peer.subscribe(['confirm']);
    expect(peer.errors).toHaveLength(1);
  });
});
