import { CloseCodes, HUB_ID_HEADER } from '@ces/protocol';
import { e2eFixtures } from '../support/fixtures';
import { getJson, postJson } from '../support/http';
import { TestHub } from '../support/hub-harness';
import { bearer, signTestJwt, TEST_JWT_SECRET } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

type Numbered = { n: number };
const numbers = (peer: WsPeer) => peer.events.map((e) => (e.event as Numbered).n);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** A member that acknowledges every event as it reads it. */
function ackAsItReads(peer: WsPeer): void {
  let seen = 0;
  peer.socket.on('message', (_data, binary) => {
    if (binary) peer.sendRaw(JSON.stringify({ ack: ++seen }), false);
  });
}

describe('every delivery path checks the recipient', () => {
  const { hub: start, connect, messenger } = e2eFixtures();
  const auth = { HUB_JWT_SECRET: TEST_JWT_SECRET };
  const status = (hub: TestHub, token?: string) =>
    getJson(`${hub.httpUrl}/status${token ? `?token=${token}` : ''}`);

  it('gives a durable backlog larger than the send bound to its member in full, none lost', async () => {
    const hub = await start({ HUB_SEND_HIGH_WATER_BYTES: 64 * 1024 });
    const owner = await messenger(hub);
    await owner.subscribe(['R'], { group: 'jobs', durable: true });
    await owner.close();
    const publisher = await messenger(hub);
    const pad = 'p'.repeat(4000);
    for (let n = 0; n < 1000; n++) publisher.send('R', { n, pad });
    await publisher.roundTrip();
    const member = await messenger(hub);
    ackAsItReads(member);
    await member.subscribe(['R'], { group: 'jobs', durable: true });
    await member.waitForEvents(1000, 20_000);
    expect(numbers(member)).toEqual(range(0, 1000));
    const totals = (await status(hub)).totals;
    expect(totals.dropped['slow-consumer']).toBeUndefined();
    expect(totals.dropped['backlog-full']).toBeUndefined();
  });

  it('hands a new member of a durable group only the backlog of the rooms it joined for', async () => {
    const hub = await start();
    const owner = await messenger(hub);
    await owner.subscribe(['ROOM-A', 'ROOM-B'], { group: 'jobs', durable: true });
    await owner.close();
    const publisher = await messenger(hub);
    publisher.send('ROOM-A', { n: 1 });
    publisher.send('ROOM-B', { n: 2 });
    await publisher.roundTrip();
    const forB = await messenger(hub);
    await forB.subscribe(['ROOM-B'], { group: 'jobs', durable: true });
    await forB.waitForEvents(1);
    await forB.roundTrip();
    expect(forB.events).toEqual([{ room: 'ROOM-B', event: { n: 2 } }]);
    expect((await status(hub)).backlogs).toEqual({ jobs: 1 });
  });

  it('never hands a durable group’s backlog of other rooms to a member with narrower rights', async () => {
    const hub = await start(auth);
    const owner = await connect(`${hub.url}/connect/messenger`, bearer(await signTestJwt({})));
    await owner.subscribe(['SECRET-1', 'ITB-1'], { group: 'svc', durable: true });
    await owner.close();
    const publisher = await connect(`${hub.url}/connect/messenger`, bearer(await signTestJwt({})));
    publisher.send('SECRET-1', { n: 1 });
    publisher.send('ITB-1', { n: 2 });
    await publisher.roundTrip();
    const narrow = await signTestJwt({ rooms: { subscribe: ['ITB-*'], publish: ['ITB-*'] } });
    const intruder = await connect(`${hub.url}/connect/messenger`, bearer(narrow));
    intruder.sendRaw(JSON.stringify({ rooms: ['SECRET-1'], create: true, group: 'svc' }), false);
    await waitFor(() => intruder.texts.length === 1, 'the refusal');
    await intruder.subscribe(['ITB-1'], { group: 'svc', durable: true });
    await intruder.waitForEvents(1);
    await intruder.roundTrip();
    expect(intruder.events).toEqual([{ room: 'ITB-1', event: { n: 2 } }]);
  });

  it('gives a repeater whose token is restricted only the events of its rooms', async () => {
    const hub = await start(auth);
    const token = await signTestJwt({ kinds: ['repeater'], rooms: { subscribe: ['ITB-*'] } });
    const repeater = await connect(`${hub.url}/connect/repeater`, bearer(token));
    const publisher = await connect(`${hub.url}/connect/messenger`, bearer(await signTestJwt({})));
    publisher.send('OTHER-1', { n: 1 });
    publisher.send('ITB-1', { n: 2 });
    await repeater.waitForEvents(1);
    await publisher.roundTrip();
    await repeater.roundTrip();
    expect(repeater.events).toEqual([{ room: 'ITB-1', event: { n: 2 } }]);
  });

  it('sends one copy to a peer that is a subscriber of the room and a member of a group for it', async () => {
    const hub = await start();
    const both = await messenger(hub, ['R']);
    await both.subscribe(['R'], { group: 'g' });
    const publisher = await messenger(hub);
    for (let n = 0; n < 5; n++) publisher.send('R', { n });
    publisher.send('BARRIER', { n: -1 });
    const barrier = await messenger(hub, ['BARRIER']);
    publisher.send('BARRIER', { n: -2 });
    await barrier.waitForEvents(1);
    await both.roundTrip();
    expect(numbers(both)).toEqual(range(0, 5));
  });

  it('closes a socket with 4401 when its token expires, and nothing reaches it after', async () => {
    const hub = await start(auth);
    const token = await signTestJwt({}, { expiresIn: Math.floor(Date.now() / 1000) + 2 });
    const peer = await connect(`${hub.url}/connect/messenger`, bearer(token));
    await peer.subscribe(['R']);
    const publisher = await connect(`${hub.url}/connect/messenger`, bearer(await signTestJwt({})));
    publisher.send('R', { n: 1 });
    await peer.waitForEvents(1);
    expect(await peer.waitForClose(5000)).toBe(CloseCodes.tokenExpired);
    const totals = (await status(hub, await signTestJwt({ operator: true }))).totals;
    expect(totals.rejected['token-expired']).toBe(1);
  });

  it('shows a group named like an Object key in /status', async () => {
    const hub = await start();
    const member = await messenger(hub);
    await member.subscribe(['R'], { group: '__proto__' });
    const groups = (await status(hub)).groups;
    expect(Object.keys(groups)).toContain('__proto__');
    expect(groups['__proto__']).toEqual({ members: 1, rooms: ['R'], durable: false });
  });
});

describe('hub links cannot be hijacked', () => {
  const { hub: start, connect, messenger } = e2eFixtures();

  it('refuses a socket that claims the id of a linked hub, and the real link loses nothing', async () => {
    const [a, b] = [await start(), await start()];
    expect((await postJson(`${a.httpUrl}/interconnect/127.0.0.1:${b.port}`, {})).status).toBe(201);
    await waitFor(
      async () => (await getJson(`${b.httpUrl}/status`)).peers.hubs.length === 1,
      'the link at b',
    );
    const receiver = await messenger(b, ['R']);
    const sender = await messenger(a);
    const impostor = WsPeer.connect(`${b.url}/connect/hub`, {
      headers: { [HUB_ID_HEADER]: a.hubId },
    });
    await expect(impostor).rejects.toMatchObject({ statusCode: 409 });
    for (let n = 0; n < 500; n++) sender.send('R', { n });
    await receiver.waitForEvents(500);
    expect(numbers(receiver)).toEqual(range(0, 500));
    const status = await getJson(`${b.httpUrl}/status`);
    expect(status.totals.rejected['upgrade-duplicate-link']).toBe(1);
    expect(status.peers.hubs).toHaveLength(1);
  });

  it('links within seconds once a socket that held the id first is gone', async () => {
    const [a, b] = [await start(), await start()];
    const squatter = await connect(`${b.url}/connect/hub`, {
      headers: { [HUB_ID_HEADER]: a.hubId },
    });
    const answer = await postJson(`${a.httpUrl}/interconnect/127.0.0.1:${b.port}`, {});
    expect(await answer.json()).toMatchObject({ state: 'standby' });
    const squatterLeft = Date.now();
    await squatter.close();
    await waitFor(
      async () => (await getJson(`${a.httpUrl}/interconnect`))[0]?.state === 'open',
      'the standby link to take over',
      6000,
    );
    expect(Date.now() - squatterLeft).toBeLessThan(5000);
  });

  it('refuses a hub-link JWT that names another hub than the one presenting it', async () => {
    const hub = await start({ HUB_JWT_SECRET: TEST_JWT_SECRET });
    const token = await signTestJwt({ kinds: ['hub'] }, { subject: 'hub-real' });
    const url = `${hub.url}/connect/hub`;
    const headers = (id: string) => ({
      headers: { authorization: `Bearer ${token}`, [HUB_ID_HEADER]: id },
    });
    await expect(WsPeer.connect(url, headers('hub-other'))).rejects.toMatchObject({
      statusCode: 403,
    });
    const real = await connect(url, headers('hub-real'));
    expect(real.socket.readyState).toBe(real.socket.OPEN);
  });
});
