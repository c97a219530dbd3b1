import { WebSocket } from 'ws';
import { getJson, Json, postJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const status = (hub: TestHub) => getJson(`${hub.httpUrl}/status`);

describe('the hub under bad input', () => {
  let hub: TestHub;
  const peers: WsPeer[] = [];
  const connect = async (kind = 'messenger', options = {}) => {
    const peer = await WsPeer.connect(`${hub.url}/connect/${kind}`, options);
    peers.push(peer);
    return peer;
  };

  beforeEach(async () => {
    hub = await startHub({ HUB_MAX_FRAME_BYTES: 64 * 1024 });
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await hub.close();
  });

  it('refuses an unknown connection type with HTTP 400 before the upgrade', async () => {
    await expect(WsPeer.connect(`${hub.url}/connect/toaster`)).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(WsPeer.connect(`${hub.url}/elsewhere`)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('counts malformed frames, keeps the socket open and other peers served', async () => {
    const bad = await connect();
    const good = await connect();
    const receiver = await connect();
    await receiver.subscribe(['R']);
    bad.sendRaw(Buffer.from('no newline at all'));
    bad.sendRaw(Buffer.from('\n{"empty":"room"}'));
    bad.sendRaw(Buffer.from('R\n'));
    bad.sendRaw(Buffer.from('R\u0001\n{}'));
    bad.sendRaw(Buffer.from(`${'x'.repeat(300)}\n{}`));
    bad.sendRaw(Buffer.from('R\n{"still":"works"}'));
    good.send('R', { from: 'good' });
    const events = await receiver.waitForEvents(2);
    expect(events.map((e) => e.event)).toEqual([{ still: 'works' }, { from: 'good' }]);
    const { totals } = await status(hub);
    expect(totals.rejected).toMatchObject({
      'no-newline': 1,
      'empty-room': 1,
      'empty-event': 1,
      'room-control-character': 1,
      'room-too-long': 1,
    });
  });

  it('answers an invalid subscription with an error frame and keeps the subscriptions it had', async () => {
    const messenger = await connect();
    await messenger.subscribe(['R']);
    messenger.sendRaw('{"rooms":"R","create":"yes"}');
    messenger.sendRaw('{"rooms":["R"]}');
    await waitFor(() => messenger.texts.length === 2, 'two error frames');
    expect(messenger.errors[0]).toEqual({
      error: 'invalid subscription message',
      fields: ['create', 'rooms'],
    });
    (await connect()).send('R', { still: 'subscribed' });
    expect((await messenger.waitForEvents(1))[0].event).toEqual({ still: 'subscribed' });
    expect((await status(hub)).totals.rejected['invalid-subscription']).toBe(2);
  });

  it('closes a socket that sends a frame over the size limit with 1009, and only that one', async () => {
    const big = await connect();
    const receiver = await connect();
    await receiver.subscribe(['R']);
    big.sendRaw(
      Buffer.concat([Buffer.from('R\n"'), Buffer.alloc(65 * 1024, 0x61), Buffer.from('"')]),
    );
    expect(await big.waitForClose()).toBe(1009);
    (await connect()).send('R', { after: 'oversize' });
    expect((await receiver.waitForEvents(1))[0].event).toEqual({ after: 'oversize' });
    expect((await status(hub)).totals.rejected['frame-too-large']).toBe(1);
  });

  it('drops a peer that stops answering pings', async () => {
    await hub.close();
    hub = await startHub({ HUB_PING_INTERVAL_MS: 100 });
    const silent = await connect('messenger', { autoPong: false });
    const lively = await connect('messenger');
    await silent.waitForClose(3000);
    expect(lively.socket.readyState).toBe(WebSocket.OPEN);
  });
});

describe('the hub’s REST endpoints', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub({ HUB_ID: 'hub-under-test' });
  });
  afterAll(() => hub.close());

  const postEvent = (body: unknown) => postJson(`${hub.httpUrl}/event`, body);

  it('routes a valid POST /event to the room’s messengers', async () => {
    const receiver = await WsPeer.connect(`${hub.url}/connect/messenger`);
    await receiver.subscribe(['ITB-1101']);
    const event = {
      key: 'input',
      value: 'hdmi1',
      'affected-room': { buildingID: 'ITB', roomID: 'ITB-1101' },
      extra: 1,
    };
    const response = await postEvent(event);
    expect(response.status).toBe(202);
    const { id }: Json = await response.json();
    expect((await receiver.waitForEvents(1))[0]).toEqual({
      room: 'ITB-1101',
      event: { ...event, id, 'processed-timestamp': expect.any(String) },
    });
    await receiver.close();
  });

  it('answers an invalid POST /event with 400 and the field errors', async () => {
    const response = await postEvent({ key: 5, timestamp: 'yesterday', 'event-tags': 'x' });
    expect(response.status).toBe(400);
    const body: Json = await response.json();
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'event-tags',
      'key',
      'timestamp',
    ]);
    const noRoom: Json = await (await postEvent({ key: 'k' })).json();
    expect(noRoom.errors).toEqual([
      { field: 'affected-room.roomID', errors: [expect.any(String)] },
    ]);
  });

  it('reports health and status', async () => {
    const health = await fetch(`${hub.httpUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const messenger = await WsPeer.connect(`${hub.url}/connect/messenger`);
    await messenger.subscribe(['A', 'B']);
    const body = await status(hub);
    expect(body).toMatchObject({
      hubId: 'hub-under-test',
      version: expect.any(String),
      uptimeSeconds: expect.any(Number),
    });
    expect(body.peers.messengers).toEqual([
      expect.objectContaining({
        kind: 'messenger',
        rooms: ['A', 'B'],
        eventsIn: 0,
        eventsOut: 0,
        bytesQueued: 0,
      }),
    ]);
    expect(body.rooms).toMatchObject({ A: { subscribers: 1 }, B: { subscribers: 1 } });
    expect(body.totals).toEqual(
      expect.objectContaining({ rejected: expect.any(Object), dropped: expect.any(Object) }),
    );
    await messenger.close();
  });
});
