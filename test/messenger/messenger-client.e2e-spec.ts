import { firstValueFrom, take, toArray } from 'rxjs';
import { MessengerClient, RoomEvent } from '@ces/messenger';
import { getJson } from '../support/http';
import { e2eFixtures } from '../support/fixtures';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

type Numbered = { n: number };

/** Collects a client's events as they arrive. */
function collect(client: MessengerClient): RoomEvent[] {
  const events: RoomEvent[] = [];
  client.on('event', (room: string, event: unknown) => events.push({ room, event }));
  return events;
}

describe('MessengerClient against a real hub', () => {
  const { hub: start, track } = e2eFixtures();
  const client = async (
    options: ConstructorParameters<typeof MessengerClient>[0],
    connect = true,
  ) => {
    const created = track(new MessengerClient(options));
    if (connect) await created.connect();
    return created;
  };

  it('sends and receives through the hub; the sender does not get its own event', async () => {
    const hub = await start();
    const alice = await client({ hubUrl: hub.url, rooms: ['ITB-1101'] });
    const bob = await client({ hubUrl: hub.url, rooms: ['ITB-1101'] });
    const aliceGot = collect(alice);
    const bobGot = collect(bob);
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).rooms['ITB-1101']?.subscribers === 2,
      'subscriptions',
    );
    alice.send('ITB-1101', { key: 'power', value: 'on' });
    alice.sendEvent({ key: 'input', 'affected-room': { roomID: 'ITB-1101' } });
    await waitFor(() => bobGot.length === 2, 'bob to get both');
    expect(bobGot[0]).toEqual({ room: 'ITB-1101', event: { key: 'power', value: 'on' } });
    bob.send('ITB-1101', { from: 'bob' });
    await waitFor(() => aliceGot.length === 1, 'alice to get bob’s');
    expect(aliceGot).toEqual([{ room: 'ITB-1101', event: { from: 'bob' } }]);
    expect(bobGot).toHaveLength(2);
    expect(() => alice.sendEvent({ key: 'no room' })).toThrow(/affected-room.roomID/);
  });

  it('works write-only, and reports an unparsable event on error instead of throwing', async () => {
    const hub = await start();
    const writer = await client({ hubUrl: hub.url });
    const listener = await client({ hubUrl: hub.url, rooms: ['R'] });
    const errors: Error[] = [];
    listener.on('error', (error: Error) => errors.push(error));
    const got = collect(listener);
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).rooms.R?.subscribers === 1,
      'subscription',
    );
    writer.send('R', Buffer.from('{not json'));
    writer.send('R', { ok: true });
    await waitFor(() => got.length === 1, 'the good event');
    expect(errors.map((e) => e.message)).toEqual(['an event for R is not valid JSON']);
    expect(writer.subscriptions).toEqual([]);
  });

  it('reconnects after a hub restart, resubscribes, and delivers what was sent meanwhile once, in order', async () => {
    let hub = await start();
    const port = hub.port;
    const reconnect = { initialDelayMs: 50, maxDelayMs: 200, jitter: 0.1 };
    // The sender redials slowly and the receiver quickly: the receiver is back and subscribed
    // well before the sender flushes (a restarted hub remembers nobody's subscriptions).
    const slowly = { initialDelayMs: 1500, maxDelayMs: 1500, jitter: 0 };
    const sender = await client({ hubUrl: hub.url, reconnect: slowly, bufferLimit: 5 });
    const receiver = await client({ hubUrl: hub.url, reconnect });
    receiver.subscribeGroup({ group: 'g', durable: true }, 'R');
    receiver.subscribe('PLAIN');
    const got = collect(receiver);
    const dropped: number[] = [];
    sender.on('drop', (count: number) => dropped.push(count));

    await hub.close();
    await waitFor(
      () => sender.state === 'reconnecting' && receiver.state === 'reconnecting',
      'both to notice',
    );
    for (let n = 0; n < 8; n++) sender.send('R', { n });
    expect(sender.stats()).toMatchObject({ buffered: 5, dropped: 3 });
    expect(dropped).toEqual([1, 1, 1]);

    // Restart just after one of the sender's redials failed: its next one is 1.5 s away.
    const attempts = sender.stats().reconnects;
    await waitFor(
      () => sender.stats().reconnects > attempts,
      'a failed redial of the sender',
      5000,
    );
    hub = await start({ HUB_PORT: port });
    await waitFor(() => got.length === 5, 'the buffered events', 10000);
    expect(got.map((e) => (e.event as Numbered).n)).toEqual([3, 4, 5, 6, 7]);
    // The plain subscription came back too.
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).rooms.PLAIN?.subscribers === 1,
      'PLAIN',
    );
    sender.send('PLAIN', { n: 100 });
    await waitFor(() => got.length === 6, 'the plain event');
    expect(sender.stats()).toMatchObject({ buffered: 0, sent: 6, dropped: 3 });
  });

  it('delivers through the async iterator and events$, both completing on close()', async () => {
    const hub = await start();
    const receiver = await client({ hubUrl: hub.url, rooms: ['R'] });
    const sender = await client({ hubUrl: hub.url });
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).rooms.R?.subscribers === 1,
      'subscription',
    );
    const fromObservable = firstValueFrom(receiver.events$.pipe(take(2), toArray()));
    const completed = firstValueFrom(receiver.events$.pipe(toArray()));
    sender.send('R', { n: 1 });
    sender.send('R', { n: 2 });
    const iterated: unknown[] = [];
    for await (const { event } of receiver) {
      iterated.push(event);
      if (iterated.length === 2) break;
    }
    expect(iterated).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await fromObservable).map((e) => e.event)).toEqual([{ n: 1 }, { n: 2 }]);
    await receiver.close();
    expect((await completed).length).toBe(2);
    const after = receiver[Symbol.asyncIterator]();
    expect(await after.next()).toEqual({ value: undefined, done: true });
  });

  it('connects to several hubs, receives from all and publishes through one', async () => {
    const [a, b] = [await start(), await start()];
    const multi = await client({ hubUrls: [a.url, b.url], rooms: ['R'] });
    const got = collect(multi);
    await waitFor(async () => {
      const [sa, sb] = await Promise.all([
        getJson(`${a.httpUrl}/status`),
        getJson(`${b.httpUrl}/status`),
      ]);
      return sa.rooms.R?.subscribers === 1 && sb.rooms.R?.subscribers === 1;
    }, 'subscriptions on both hubs');
    const onA = await WsPeer.connect(`${a.url}/connect/messenger`);
    const onB = await WsPeer.connect(`${b.url}/connect/messenger`);
    await onA.subscribe(['OUT']);
    await onB.subscribe(['OUT']);
    onA.send('R', { from: 'a' });
    onB.send('R', { from: 'b' });
    await waitFor(() => got.length === 2, 'events from both hubs');
    multi.send('OUT', { once: true });
    await waitFor(() => onA.events.length + onB.events.length === 1, 'one hub to carry the event');
    await onA.roundTrip();
    await onB.roundTrip();
    expect(onA.events.length + onB.events.length).toBe(1);
    await onA.close();
    await onB.close();
  });

  it('joins a durable group and acknowledges what its handler processed', async () => {
    const hub = await start({ HUB_ACK_TIMEOUT_MS: 60_000 });
    const member = await client({ hubUrl: hub.url });
    const handled: number[] = [];
    member.onEvent(async (_room, event) => {
      await new Promise((resolve) => setImmediate(resolve));
      handled.push((event as Numbered).n);
    });
    member.subscribeGroup({ group: 'billing', durable: true }, 'R');
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).groups.billing?.members === 1,
      'membership',
    );
    const sender = await client({ hubUrl: hub.url });
    for (let n = 0; n < 10; n++) sender.send('R', { n });
    await waitFor(() => handled.length === 10, 'the handler');
    // Every event acknowledged: a member that leaves now leaves nothing to redeliver.
    await waitFor(async () => {
      const status = await getJson(`${hub.httpUrl}/status`);
      return status.peers.messengers.some(
        (m: { groups: string[]; unacked: number }) =>
          m.groups.includes('billing') && m.unacked === 0,
      );
    }, 'the acknowledgements');
    await member.close();
    const next = await client({ hubUrl: hub.url });
    const redelivered = collect(next);
    next.subscribeGroup({ group: 'billing', durable: true }, 'R');
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).groups.billing?.members === 1,
      'the next member',
    );
    sender.send('R', { n: 99 });
    await waitFor(() => redelivered.length > 0, 'the next event');
    expect(redelivered.map((e) => (e.event as Numbered).n)).toEqual([99]);
  });
});
