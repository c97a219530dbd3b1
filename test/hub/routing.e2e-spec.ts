import { getJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { eventsAmong } from '../support/peer-events';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

describe('hub routing over real websockets', () => {
  let hub: TestHub;
  const peers: WsPeer[] = [];
  const connect = async (kind: string) => {
    const peer = await WsPeer.connect(`${hub.url}/connect/${kind}`);
    peers.push(peer);
    return peer;
  };

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await hub.close();
  });

  it('delivers to the room and to *, never to the sender or an unsubscribed messenger', async () => {
    const sender = await connect('messenger');
    const inRoom = await connect('messenger');
    const everything = await connect('messenger');
    const elsewhere = await connect('messenger');
    const leaver = await connect('messenger');
    await sender.subscribe(['ROOM-1']);
    await inRoom.subscribe(['ROOM-1']);
    await everything.subscribe(['*']);
    await elsewhere.subscribe(['ROOM-2']);
    await leaver.subscribe(['ROOM-1', 'ROOM-2']);
    await leaver.unsubscribe(['ROOM-1']);

    sender.send('ROOM-1', { key: 'power', value: 'on' });
    sender.send('ROOM-2', { key: 'barrier' });

    expect(await inRoom.waitForEvents(1)).toEqual([
      { room: 'ROOM-1', event: { key: 'power', value: 'on' } },
    ]);
    expect((await everything.waitForEvents(2)).map((e) => e.room)).toEqual(['ROOM-1', 'ROOM-2']);
    expect((await elsewhere.waitForEvents(1)).map((e) => e.room)).toEqual(['ROOM-2']);
    expect((await leaver.waitForEvents(1)).map((e) => e.room)).toEqual(['ROOM-2']);
    await sender.roundTrip();
    expect(sender.events).toEqual([]);
  });

  it('sends one copy to a messenger subscribed to a room and to *, or to a room twice', async () => {
    const sender = await connect('messenger');
    const both = await connect('messenger');
    await both.subscribe(['ROOM-1', '*']);
    await both.subscribe(['ROOM-1']);
    sender.send('ROOM-1', { n: 1 });
    sender.send('ROOM-1', { n: 2 });
    await both.waitForEvents(2);
    await both.roundTrip();
    expect(both.events.map((e) => e.event)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('forwards the sender’s bytes as they were, in a binary frame', async () => {
    const sender = await connect('messenger');
    const receiver = await connect('messenger');
    await receiver.subscribe(['R']);
    const frame = Buffer.from('R\n{"b":1,  "a":[2]}');
    sender.sendRaw(frame);
    await waitFor(() => receiver.frames.length === 1, 'the frame');
    expect(receiver.frames[0]).toEqual({ binary: true, data: frame });
  });

  it('accepts every frame form the original system sends', async () => {
    const sender = await connect('messenger');
    const receiver = await connect('messenger');
    await receiver.subscribe(['R']);
    sender.sendRaw(Buffer.from('R\n{"n":1}'));
    sender.sendRaw(Buffer.from('R\n{"n":2}\n'));
    sender.sendRaw(Buffer.from('R\n\n{"n":3}'));
    sender.sendRaw(Buffer.from('R\r\n{"n":4}\r\n'));
    sender.sendRaw('R\n{"n":5}', false); // a text frame that is an event, not a subscription
    const events = await receiver.waitForEvents(5);
    expect(events.map((e) => e.event)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
  });

  it('shares a messenger’s events among repeaters round robin, and never sends repeater events to repeaters', async () => {
    const repeaters = [
      await connect('repeater'),
      await connect('repeater'),
      await connect('dispatcher'),
    ];
    const messenger = await connect('messenger');
    const listener = await connect('spoke');
    await listener.subscribe(['*']);

    repeaters[0].send('R', { from: 'repeater' });
    repeaters[1].send('R', { from: 'repeater' });
    await listener.waitForEvents(2);

    for (let i = 0; i < 30; i++) messenger.send('R', { from: 'messenger', i });
    await listener.waitForEvents(32);
    await waitFor(() => eventsAmong(repeaters) === 30, '30 events across the repeaters');
    for (const repeater of repeaters) {
      expect(repeater.events.length).toBeGreaterThanOrEqual(9);
      expect(repeater.events.length).toBeLessThanOrEqual(11);
      expect(repeater.events.every((e) => (e.event as { from: string }).from === 'messenger')).toBe(
        true,
      );
    }
  });

  it('keeps nothing for repeaters on a hub that never had one', async () => {
    const messenger = await connect('messenger');
    for (let i = 1; i <= 5; i++) messenger.send('R', { i });
    await messenger.roundTrip();
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.backlogs).toEqual({});
    expect(status.totals.dropped['backlog-full']).toBeUndefined();
  });

  it('keeps events for repeaters while the one it had is away and hands them to the next that connects', async () => {
    await hub.close();
    hub = await startHub({ HUB_REPEATER_BACKLOG: 3 });
    const first = await connect('repeater');
    await first.close();
    const messenger = await connect('messenger');
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).peers.repeaters.length === 0,
      'the first repeater to be gone',
    );
    for (let i = 1; i <= 5; i++) messenger.send('R', { i });
    await messenger.roundTrip();

    const repeater = await connect('repeater');
    const events = await repeater.waitForEvents(3);
    expect(events.map((e) => e.event)).toEqual([{ i: 3 }, { i: 4 }, { i: 5 }]);
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.totals.dropped['backlog-full']).toBe(2);
  });

  it('gives every event to the other repeater when one dies, and a repeater’s event to each hub once', async () => {
    const [first, second] = [await connect('repeater'), await connect('repeater')];
    const messenger = await connect('messenger');
    first.socket.terminate(); // gone without a close handshake
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).peers.repeaters.length === 1,
      'the hub to notice',
    );
    for (let i = 0; i < 10; i++) messenger.send('R', { i });
    expect((await second.waitForEvents(10)).map((e) => (e.event as { i: number }).i)).toEqual([
      ...Array(10).keys(),
    ]);

    const other = await startHub();
    try {
      await fetch(`${hub.httpUrl}/interconnect/127.0.0.1%3A${other.port}`, { method: 'POST' });
      const listener = await WsPeer.connect(`${other.url}/connect/messenger`);
      await listener.subscribe(['R']);
      second.send('R', { from: 'repeater' });
      await listener.waitForEvents(1);
      (await connect('messenger')).send('R', { barrier: true });
      const events = await listener.waitForEvents(2);
      expect(events.map((e) => e.event)).toEqual([{ from: 'repeater' }, { barrier: true }]);
      await listener.close();
    } finally {
      await other.close();
    }
  });

  it('routes a repeater’s events to messengers', async () => {
    const repeater = await connect('ingester');
    const messenger = await connect('messenger');
    await messenger.subscribe(['R']);
    repeater.send('R', { key: 'from-outside' });
    expect((await messenger.waitForEvents(1))[0].event).toEqual({ key: 'from-outside' });
  });
});
