import { SignJWT } from 'jose';
import { request as httpRequest } from 'node:http';
import { WebSocketServer } from 'ws';
import { Json, postJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { startRepeater, TestRepeater } from '../support/repeater-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const SECRET = 'repeater-jwt-secret-of-32-bytes!!';

const v2 = (room: string, key = 'power') => ({
  key,
  value: 'on',
  'affected-room': { buildingID: room.split('-')[0], roomID: room },
});

function token(claims: Record<string, unknown>, audience = 'ces-repeater', issuer = 'auth') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(audience)
    .setIssuer(issuer)
    .setExpirationTime('1h')
    .sign(Buffer.from(SECRET));
}

/** The raw answer to an upgrade request: status and body, with no websocket client in the way. */
function upgradeAnswer(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 101, body: '' });
    });
    request.on('error', reject);
    request.end();
  });
}

describe('repeater security', () => {
  let hub: TestHub;
  let rep: TestRepeater;
  const peers: WsPeer[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  const peer = async (url: string) => {
    const connected = await WsPeer.connect(url);
    peers.push(connected);
    return connected;
  };
  const refusedStatus = (url: string) =>
    WsPeer.connect(url).then(
      (connected) => {
        peers.push(connected);
        return 101;
      },
      (error: { statusCode?: number }) => error.statusCode,
    );

  /** A hub messenger on these rooms, and a barrier: an allowed event that must arrive. */
  async function listener(rooms: string[]) {
    const m = await peer(`${hub.url}/connect/messenger`);
    await m.subscribe(rooms);
    return m;
  }

  beforeEach(async () => {
    hub = await startHub();
    rep = await startRepeater(hub.url, {
      REPEATER_JWT_SECRET: SECRET,
      REPEATER_JWT_AUDIENCE: 'ces-repeater',
      REPEATER_JWT_ISSUER: 'auth',
      REPEATER_ENRICH: false,
    });
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    await rep.close();
    await hub.close();
  });

  it('refuses a token whose room claim is not an array (401, with the reason), never widening it', async () => {
    const malformed = await token({ rooms: { subscribe: 'ITB-*', publish: 'ITB-*' } });
    const answer = await upgradeAnswer(`${rep.httpUrl}/connect/*/x?token=${malformed}`);
    expect(answer.status).toBe(401);
    expect(answer.body).toContain('rooms.subscribe must be an array');
    const post = await postJson(`${rep.httpUrl}/send`, v2('OTHER-1'), {
      authorization: `Bearer ${malformed}`,
    });
    expect(post.status).toBe(401);
    expect(((await post.json()) as Json).message).toContain('claims are not valid');
  });

  it('refuses a token for another audience or issuer', async () => {
    for (const other of [
      await token({}, 'another-service'),
      await token({}, 'ces-repeater', 'someone-else'),
    ]) {
      expect(await refusedStatus(`${rep.url}/connect/R-1/x?token=${other}`)).toBe(401);
      const post = await postJson(`${rep.httpUrl}/send`, v2('R-1'), {
        authorization: `Bearer ${other}`,
      });
      expect(post.status).toBe(401);
    }
  });

  it('accepts sockets only on the rooms a token grants: /connect/OTHER and /connect/* get 403', async () => {
    const itb = await token({ rooms: { subscribe: ['ITB-*'], publish: ['ITB-*'] } });
    const other = await upgradeAnswer(`${rep.httpUrl}/connect/JFSB-1/x?token=${itb}`);
    expect(other).toEqual({ status: 403, body: 'your token does not grant room JFSB-1' });
    const everything = await upgradeAnswer(`${rep.httpUrl}/connect/*/x?token=${itb}`);
    expect(everything).toEqual({ status: 403, body: 'your token does not grant every room' });
    const encoded = await upgradeAnswer(`${rep.httpUrl}/connect/%2A/x?token=${itb}`);
    expect(encoded.status).toBe(403);

    // A socket on a granted room, and one with every room, get what they may and nothing else.
    const granted = await peer(`${rep.url}/connect/ITB-1101/x?token=${itb}`);
    const all = await peer(`${rep.url}/connect/*/y?token=${await token({})}`);
    const sender = await peer(`${hub.url}/connect/messenger`);
    sender.send('JFSB-1', v2('JFSB-1', 'not-for-itb'));
    sender.send('ITB-1101', v2('ITB-1101', 'barrier'));
    await granted.waitForEvents(1);
    await all.waitForEvents(2);
    expect(granted.events.map((e) => e.room)).toEqual(['ITB-1101']);
  });

  it('delivers nothing a token may not publish: POST /send gets 403, a socket an error frame', async () => {
    const itb = await token({ rooms: { publish: ['ITB-*'] } });
    const watcher = await listener(['JFSB-1', 'ITB-1101']);
    const auth = { authorization: `Bearer ${itb}` };

    const forbidden = await postJson(`${rep.httpUrl}/send`, v2('JFSB-1'), auth);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as Json).message).toBe(
      'your token does not grant publishing into JFSB-1',
    );
    expect((await postJson(`${rep.httpUrl}/event`, v2('JFSB-1'), auth)).status).toBe(403);

    const socket = await peer(`${rep.url}/connect?token=${itb}`);
    socket.sendRaw(JSON.stringify(v2('JFSB-1')), false);
    socket.sendRaw(Buffer.from(`JFSB-1\n${JSON.stringify(v2('ITB-1101'))}`));
    await waitFor(() => socket.texts.length === 2, 'two error frames');
    expect(socket.texts.map((text) => JSON.parse(text))).toEqual([
      { error: 'your token does not grant publishing into JFSB-1', details: [] },
      { error: 'your token does not grant publishing into JFSB-1', details: [] },
    ]);

    expect((await postJson(`${rep.httpUrl}/send`, v2('ITB-1101', 'barrier'), auth)).status).toBe(
      202,
    );
    await watcher.waitForEvents(1);
    await watcher.roundTrip();
    expect(watcher.events.map((e) => [e.room, (e.event as Json).key])).toEqual([
      ['ITB-1101', 'barrier'],
    ]);
  });

  it('answers bad percent-encoding in a socket path with 400', async () => {
    const answer = await upgradeAnswer(`${rep.httpUrl}/connect/%ZZ/x?token=${await token({})}`);
    expect(answer).toEqual({ status: 400, body: 'the path is not valid percent-encoding\n' });
  });

  it('takes only application/json bodies (415 for a form, as a cross-site form sends)', async () => {
    const watcher = await listener(['R-1']);
    const auth = `Bearer ${await token({})}`;
    const form = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
        body: 'key=power&value=on&affected-room[roomID]=R-1',
      });
    expect((await form(`${rep.httpUrl}/send`)).status).toBe(415);
    expect((await form(`${hub.httpUrl}/event`)).status).toBe(415);
    await postJson(`${rep.httpUrl}/send`, v2('R-1', 'barrier'), { authorization: auth });
    await watcher.waitForEvents(1);
    expect(watcher.events).toHaveLength(1);
  });
  it('closes an outside socket with 4401 when its token expires', async () => {
    const shortLived = await new SignJWT({ rooms: { subscribe: ['ITB-*'] } })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('ces-repeater')
      .setIssuer('auth')
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(Buffer.from(SECRET));
    const socket = await peer(`${rep.url}/connect/ITB-1/panel?token=${shortLived}`);
    expect(await socket.waitForClose(6000)).toBe(4401);
  });
});

describe('repeater ws targets and odd rooms', () => {
  let hub: TestHub;
  let rep: TestRepeater;
  let target: WebSocketServer;
  const paths: string[] = [];
  const frames: string[] = [];

  beforeEach(async () => {
    target = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => target.once('listening', () => resolve()));
    target.on('connection', (socket, request) => {
      paths.push(request.url ?? '');
      socket.on('message', (data) => frames.push(data.toString()));
    });
    const { port } = target.address() as { port: number };
    hub = await startHub();
    rep = await startRepeater(hub.url, {
      REPEATER_SEND_MAP: JSON.stringify({
        '.': [`ws://127.0.0.1:${port}`],
        '..': [`ws://127.0.0.1:${port}`],
        '*': [`ws://127.0.0.1:${port}`],
      }),
      REPEATER_IDLE_TIMEOUT_MS: 100,
    });
  });

  afterEach(async () => {
    await rep.close();
    await hub.close();
    for (const client of target.clients) client.terminate();
    await new Promise((resolve) => target.close(resolve));
  });

  it('dials ws targets for rooms ., .. and * at /connect, never elsewhere nor as a listener of every room', async () => {
    const sender = await WsPeer.connect(`${hub.url}/connect/messenger`);
    try {
      for (const room of ['.', '..', '*']) {
        paths.length = 0;
        frames.length = 0;
        sender.send(room, { key: room });
        await waitFor(() => frames.length === 1, `the event of room ${room}`);
        expect(paths).toEqual(['/connect']);
        expect(frames).toEqual([`${room}\n${JSON.stringify({ key: room })}`]);
        await waitFor(() => target.clients.size === 0, 'the idle target socket to close');
      }
      paths.length = 0;
      sender.send('a/../b', { key: 'slashes' });
      await waitFor(() => paths.length === 1, 'the dial for a room with slashes');
      expect(paths[0]).toBe(`/connect/a%2F..%2Fb/${rep.repeaterId}`);
    } finally {
      await sender.close();
    }
  });
});
