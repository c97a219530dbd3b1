import { MessengerClient, MessengerState } from '@ces/messenger';
import { CloseCodes } from '@ces/protocol';
import { e2eFixtures } from '../support/fixtures';
import { getJson, Json } from '../support/http';
import { signTestJwt, TEST_JWT_SECRET } from '../support/tokens';
import { waitFor } from '../support/wait-for';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const peerIds = (status: Json): string[] =>
  [...status.peers.messengers, ...status.peers.repeaters, ...status.peers.hubs].map(
    (peer: Json) => peer.id,
  );

describe('GET /peers and DELETE /peers/:id on the hub', () => {
  const { hub: start, connect, track } = e2eFixtures();

  it('disconnects a messenger with 4000, counts it, and /status no longer lists it', async () => {
    const hub = await start();
    const kept = await connect(`${hub.url}/connect/messenger?name=kept`);
    const gone = await connect(`${hub.url}/connect/messenger?name=gone`);
    await Promise.all([kept.roundTrip(), gone.roundTrip()]);
    const page = await getJson(`${hub.httpUrl}/peers?q=gone`);
    expect(page).toMatchObject({ total: 2, matched: 1, offset: 0 });
    const id = page.peers[0].id as string;

    const response = await fetch(`${hub.httpUrl}/peers/${id}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await gone.waitForClose()).toBe(CloseCodes.disconnectedByOperator);
    expect(gone.closeReason).toBe('disconnected by an operator');

    await kept.roundTrip(); // the hub has run its close handling by the time it answers
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(peerIds(status)).not.toContain(id);
    expect(peerIds(status)).toHaveLength(1);
    expect(status.totals.disconnected).toEqual({ operator: 1 });
  });

  it('is not a ban: the messenger client is disconnected, and connects again under a new id', async () => {
    const hub = await start();
    const client = track(
      new MessengerClient({ hubUrl: `127.0.0.1:${hub.port}`, name: 'room-display' }),
    );
    const states: MessengerState[] = [];
    client.on('state', (state) => states.push(state));
    await client.connect();
    const [before] = (await getJson(`${hub.httpUrl}/peers?q=room-display`)).peers;

    const response = await fetch(`${hub.httpUrl}/peers/${before.id}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    await waitFor(() => states.includes('reconnecting'), 'the client to see the close');
    await waitFor(async () => {
      const { peers } = await getJson(`${hub.httpUrl}/peers?q=room-display`);
      return peers.length === 1 && peers[0].id !== before.id;
    }, 'the client back under a new id');
    expect(peerIds(await getJson(`${hub.httpUrl}/status`))).not.toContain(before.id);
  });

  it('answers 404 for an unknown peer and 400 naming a wrong parameter', async () => {
    const hub = await start();
    const missing = await fetch(`${hub.httpUrl}/peers/messenger-999`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'no peer messenger-999' });

    const wrong = await fetch(`${hub.httpUrl}/peers?limit=100000`);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ errors: [{ field: 'limit' }] });
  });

  it('pages the peers: a bounded page, and how many matched', async () => {
    const hub = await start();
    for (let n = 0; n < 5; n++) await connect(`${hub.url}/connect/messenger?name=panel-${n}`);
    await connect(`${hub.url}/connect/messenger?name=projector`);
    const page = await getJson(`${hub.httpUrl}/peers?q=PANEL&offset=1&limit=2`);
    expect(page).toMatchObject({ total: 6, matched: 5, offset: 1, limit: 2 });
    expect(page.peers.map((peer: Json) => peer.name)).toEqual(['panel-1', 'panel-2']);
  });

  it('needs an operator token when authentication is on', async () => {
    const hub = await start({ HUB_JWT_SECRET: TEST_JWT_SECRET });
    const messengerToken = await signTestJwt({ kinds: ['messenger'] });
    const operatorToken = await signTestJwt({ kinds: ['messenger'], operator: true });
    const peer = await connect(`${hub.url}/connect/messenger?token=${messengerToken}`);
    await peer.roundTrip();
    const page = await getJson(`${hub.httpUrl}/peers`, auth(operatorToken));
    const url = `${hub.httpUrl}/peers/${page.peers[0].id}`;

    expect((await fetch(url, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(`${hub.httpUrl}/peers`)).status).toBe(401);
    const forbidden = await fetch(url, { method: 'DELETE', headers: auth(messengerToken) });
    expect(forbidden.status).toBe(403);
    expect((await fetch(`${hub.httpUrl}/peers`, { headers: auth(messengerToken) })).status).toBe(
      403,
    );
    expect(peer.closeCode).toBeUndefined();

    const done = await fetch(url, { method: 'DELETE', headers: auth(operatorToken) });
    expect(done.status).toBe(204);
    expect(await peer.waitForClose()).toBe(CloseCodes.disconnectedByOperator);
  });
});
