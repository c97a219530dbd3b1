import { MessengerClient, PublishRefusedError } from '@ces/messenger';
import { e2eFixtures } from '../support/fixtures';
import { getJson } from '../support/http';
import { bearer, signTestJwt, TEST_JWT_SECRET } from '../support/tokens';
import { WsPeer } from '../support/ws-peer';

type Numbered = { n: number };
const numbers = (peer: WsPeer) => peer.events.map((e) => (e.event as Numbered).n);
const range = (from: number, to: number) => [...Array(to - from).keys()].map((i) => i + from);

describe('MessengerClient with publish confirms against a real hub', () => {
  const { hub: start, track, messenger, connect } = e2eFixtures();
  const client = async (options: ConstructorParameters<typeof MessengerClient>[0]) => {
    const created = track(new MessengerClient({ confirms: true, ...options }));
    await created.connect();
    return created;
  };

  it('resolves each publish once the hub confirms it, in order', async () => {
    const hub = await start();
    const subscriber = await messenger(hub, ['R']);
    const publisher = await client({ hubUrl: hub.url });
    const order: number[] = [];
    const confirmed = range(0, 1000).map((n) =>
      publisher.publish('R', { n }).then(() => order.push(n)),
    );
    await Promise.all(confirmed);
    expect(order).toEqual(range(0, 1000));
    await subscriber.waitForEvents(1000);
    expect(numbers(subscriber)).toEqual(range(0, 1000));
    expect(publisher.stats().buffered).toBe(0);
  });

  it('rejects a publish the hub refuses with its reason, and confirms the others', async () => {
    const hub = await start({ HUB_JWT_SECRET: TEST_JWT_SECRET });
    const token = await signTestJwt({ kinds: ['messenger'], rooms: { publish: ['R'] } });
    const publisher = await client({ hubUrl: hub.url, token });
    const subscriber = await connect(
      `${hub.url}/connect/messenger`,
      bearer(await signTestJwt({ kinds: ['messenger'] })),
    );
    await subscriber.subscribe(['R', 'S']);
    const errors: Error[] = [];
    publisher.on('error', (error) => errors.push(error));
    const allowed = publisher.publish('R', { n: 1 });
    const forbidden = publisher.publish('S', { n: 2 });
    const after = publisher.publish('R', { n: 3 });
    await expect(forbidden).rejects.toBeInstanceOf(PublishRefusedError);
    await expect(forbidden).rejects.toMatchObject({
      reason: 'publish-forbidden',
      message: 'your token does not grant publishing into S',
    });
    await Promise.all([allowed, after]);
    await subscriber.waitForEvents(2);
    expect(numbers(subscriber)).toEqual([1, 3]);
  });

  it('sends what was not confirmed again after a reconnect, and the hub delivers none twice', async () => {
    const hub = await start();
    const subscriber = await messenger(hub, ['R']);
    const publisher = await client({
      hubUrl: hub.url,
      name: 'confirming-publisher',
      reconnect: { initialDelayMs: 20 },
    });
    const settled: Promise<void>[] = [];
    const disconnect = async () => {
      const page = await getJson(`${hub.httpUrl}/peers?q=confirming-publisher`);
      await fetch(`${hub.httpUrl}/peers/${page.peers[0].id}`, { method: 'DELETE' });
    };
    // The operator cuts the publisher off while its events are on their way.
    let cut: Promise<void> | undefined;
    for (let n = 0; n < 3000; n++) {
      settled.push(publisher.publish('R', { n }));
      if (n === 1000) cut = disconnect();
      if (n % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await cut;
    await Promise.all(settled);
    expect(publisher.stats().reconnects).toBeGreaterThanOrEqual(1);
    await subscriber.waitForEvents(3000, 10_000);
    await subscriber.roundTrip();
    expect(numbers(subscriber)).toEqual(range(0, 3000));
    const { totals } = await getJson(`${hub.httpUrl}/status`);
    // Taken once each: a resend the hub had taken was dropped, not routed again.
    expect(totals.eventsIn.messenger).toBe(3000);
  });
});
