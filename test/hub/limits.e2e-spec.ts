import { getJson, postJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

describe('hub limits', () => {
  let hub: TestHub | undefined;
  const peers: WsPeer[] = [];
  const start = async (settings = {}) => (hub = await startHub(settings));
  const connect = async (kind = 'messenger') => {
    const peer = await WsPeer.connect(`${hub!.url}/connect/${kind}`);
    peers.push(peer);
    return peer;
  };

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await hub?.close();
  });

  it('refuses connections beyond the total and per-address limits, and only those', async () => {
    await start({ HUB_MAX_CONNECTIONS_PER_ADDRESS: 2 });
    const first = await connect();
    await connect();
    await expect(WsPeer.connect(`${hub!.url}/connect/messenger`)).rejects.toMatchObject({
      statusCode: 429,
    });
    await first.close();
    await waitFor(
      async () => (await getJson(`${hub!.httpUrl}/status`)).peers.messengers.length === 1,
      'the slot to free',
    );
    await connect();
    await hub!.close();

    await start({ HUB_MAX_CONNECTIONS: 1 });
    const only = await connect();
    await expect(WsPeer.connect(`${hub!.url}/connect/messenger`)).rejects.toMatchObject({
      statusCode: 503,
    });
    await only.roundTrip();
    const status = await getJson(`${hub!.httpUrl}/status`);
    expect(status.totals.rejected['upgrade-connection-limit']).toBe(1);
  });

  it('refuses a subscription beyond the rooms limit with an error frame', async () => {
    await start({ HUB_MAX_ROOMS_PER_PEER: 3 });
    const messenger = await connect();
    await messenger.subscribe(['A', 'B']);
    await messenger.subscribe(['C', 'D']);
    expect(JSON.parse(messenger.texts[0]).error).toContain('at most 3 rooms');
    const status = await getJson(`${hub!.httpUrl}/status`);
    expect(status.peers.messengers[0].rooms).toEqual(['A', 'B']);
    expect(status.totals.rejected['too-many-rooms']).toBe(1);
  });

  it('drops and counts events over the publish rate, without touching other publishers', async () => {
    await start({ HUB_PUBLISH_RATE: 1, HUB_PUBLISH_BURST: 5 });
    const flooder = await connect();
    const polite = await connect();
    const receiver = await connect();
    await receiver.subscribe(['R']);
    for (let i = 0; i < 50; i++) flooder.send('R', { from: 'flooder', i });
    await flooder.roundTrip();
    polite.send('R', { from: 'polite' });
    const events = await receiver.waitForEvents(1);
    await waitFor(
      () => receiver.events.some((e) => (e.event as { from: string }).from === 'polite'),
      'the polite event',
    );
    const fromFlooder = receiver.events.filter(
      (e) => (e.event as { from: string }).from === 'flooder',
    );
    expect(fromFlooder.length).toBeGreaterThanOrEqual(5);
    expect(fromFlooder.length).toBeLessThan(10);
    expect(events.length).toBeGreaterThan(0);
    const dropped = (await getJson(`${hub!.httpUrl}/status`)).totals.dropped['rate-limited'];
    expect(dropped).toBe(50 - fromFlooder.length);
  });

  it('closes a connection over the publish rate with 1008 when the policy says so', async () => {
    await start({ HUB_PUBLISH_RATE: 1, HUB_PUBLISH_BURST: 2, HUB_PUBLISH_LIMIT_POLICY: 'close' });
    const flooder = await connect();
    for (let i = 0; i < 10; i++) flooder.send('R', { i });
    expect(await flooder.waitForClose()).toBe(1008);
    expect(flooder.closeReason).toBe('publish rate exceeded');
  });

  it('holds POST /event to the publish rate too, per address, with 429', async () => {
    await start({ HUB_PUBLISH_RATE: 1, HUB_PUBLISH_BURST: 3 });
    const receiver = await connect();
    await receiver.subscribe(['R']);
    const event = { key: 'k', value: 'v', 'affected-room': { roomID: 'R' } };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await postJson(`${hub!.httpUrl}/event`, event)).status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
    await receiver.waitForEvents(3);
    await receiver.roundTrip();
    expect(receiver.events).toHaveLength(3);
  });

  it('holds control messages to the publish rate as well as events', async () => {
    await start({ HUB_PUBLISH_RATE: 1, HUB_PUBLISH_BURST: 5 });
    const spammer = await connect();
    for (let i = 0; i < 5000; i++)
      spammer.sendRaw(JSON.stringify({ rooms: [`r${i}`], create: true }), false);
    await spammer.roundTrip();
    const status = await getJson(`${hub!.httpUrl}/status`);
    expect(status.peers.messengers[0].rooms).toHaveLength(5);
    expect(status.totals.dropped['rate-limited']).toBe(4995);
  });

  it('bounds the groups one connection may join, and the durable groups of the hub', async () => {
    await start({ HUB_MAX_GROUPS_PER_PEER: 10, HUB_MAX_DURABLE_GROUPS: 3 });
    const joiner = await connect();
    for (let i = 0; i < 15; i++)
      joiner.sendRaw(JSON.stringify({ rooms: ['R'], create: true, group: `g${i}` }), false);
    await joiner.roundTrip();
    const hoarder = await connect();
    for (let i = 0; i < 5; i++) {
      const durable = { rooms: ['R'], create: true, group: `d${i}`, durable: true };
      hoarder.sendRaw(JSON.stringify(durable), false);
    }
    await hoarder.roundTrip();
    const status = await getJson(`${hub!.httpUrl}/status`);
    const groupsOf = (index: number) => status.peers.messengers[index].groups;
    expect(groupsOf(0)).toHaveLength(10);
    expect(groupsOf(1)).toHaveLength(3);
    expect(status.totals.rejected['too-many-groups']).toBe(5);
    expect(status.totals.rejected['too-many-durable-groups']).toBe(2);
    await joiner.close();
    await hoarder.close();
    await waitFor(
      async () => Object.keys((await getJson(`${hub!.httpUrl}/status`)).groups).length === 4,
      'the non-durable groups to go with their member',
    );
  });
});
