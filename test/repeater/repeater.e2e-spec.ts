import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { getJson, Json, postJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { startRepeater, TestRepeater } from '../support/repeater-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';
import { SERVICE_EVENT } from '../support/sample-events';

const v2 = (room: string, extra: Record<string, unknown> = {}) => ({
  'generating-system': 'test',
  timestamp: '2026-11-23T04:00:00Z',
  'event-tags': ['test'],
  'affected-room': { buildingID: room.split('-')[0], roomID: room },
  key: 'power',
  value: 'on',
  ...extra,
});

/** A local HTTP target that answers with the given statuses in turn (then 200), recording bodies. */
async function httpTarget(statuses: number[] = []) {
  const bodies: unknown[] = [];
  let calls = 0;
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const status = statuses[calls++] ?? 200;
      if (status === 200) bodies.push(JSON.parse(body));
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/events`,
    bodies,
    calls: () => calls,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A local websocket target that records the frames and the path it was dialed at. */
async function wsTarget() {
  const frames: string[] = [];
  const paths: string[] = [];
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket, request) => {
    paths.push(request.url ?? '');
    socket.on('message', (data) => frames.push(data.toString()));
  });
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    frames,
    paths,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the repeater', () => {
  let hub: TestHub;
  const repeaters: TestRepeater[] = [];
  const peers: WsPeer[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  const repeater = async (settings = {}) => {
    const started = await startRepeater(hub.url, settings);
    repeaters.push(started);
    return started;
  };
  const peer = async (url: string) => {
    const connected = await WsPeer.connect(url);
    peers.push(connected);
    return connected;
  };
  const messenger = async (rooms: string[] = []) => {
    const m = await peer(`${hub.url}/connect/messenger`);
    if (rooms.length) await m.subscribe(rooms);
    return m;
  };

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
    await Promise.all(repeaters.splice(0).map((r) => r.close()));
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    await hub.close();
  });

  it('forwards a bare v2 event from an outside socket, tagged with its room', async () => {
    const rep = await repeater({ REPEATER_ENRICH: false });
    const listener = await messenger(['ITB-1101']);
    const outside = await peer(`${rep.url}/connect/ITB-1101/panel-1`);
    outside.sendRaw(JSON.stringify(v2('ITB-1101')), false);
    expect(await listener.waitForEvents(1)).toEqual([{ room: 'ITB-1101', event: v2('ITB-1101') }]);
  });

  it('forwards framed events and POST /send, and stamps them when enrichment is on', async () => {
    const rep = await repeater();
    const listener = await messenger(['ITB-1101', 'JFSB-1']);
    const outside = await peer(`${rep.url}/connect`);
    outside.sendRaw(Buffer.from(`JFSB-1\n${JSON.stringify(v2('ITB-1101'))}`));
    const response = await postJson(`${rep.httpUrl}/send`, v2('ITB-1101', { key: 'http' }));
    expect(response.status).toBe(202);
    const events = await listener.waitForEvents(2);
    expect(events.map((e) => e.room).sort()).toEqual(['ITB-1101', 'JFSB-1']);
    for (const { event } of events) {
      expect(event).toMatchObject({
        id: expect.any(String),
        'processed-timestamp': expect.any(String),
      });
    }
  });

  it('answers an invalid event with an error frame and keeps the socket usable; a bad POST gets 400', async () => {
    const rep = await repeater();
    const listener = await messenger(['ITB-1101']);
    const outside = await peer(`${rep.url}/connect/ITB-1101/panel-1`);
    outside.sendRaw(JSON.stringify({ key: 5, timestamp: 'soon' }), false);
    await waitFor(() => outside.texts.length === 1, 'the error frame');
    expect(outside.errors).toEqual([{ error: 'invalid v2 event', fields: ['key', 'timestamp'] }]);
    outside.sendRaw(JSON.stringify(v2('ITB-1101')), false);
    await listener.waitForEvents(1);

    const bad = await postJson(`${rep.httpUrl}/event`, { value: [1] });
    expect(bad.status).toBe(400);
    const body: Json = await bad.json();
    expect(body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'value' })]),
    );
  });

  it('sends a messenger’s event to exactly one of two repeaters, which delivers it to its socket and targets', async () => {
    const http = await httpTarget();
    const ws = await wsTarget();
    cleanups.push(http.close, ws.close);
    const sendMap = JSON.stringify({ 'ITB-1101': [ws.url], '*': [http.url] });
    const reps = [
      await repeater({ REPEATER_SEND_MAP: sendMap }),
      await repeater({ REPEATER_SEND_MAP: sendMap }),
    ];
    const sockets = [
      await peer(`${reps[0].url}/connect/ITB-1101/panel-a`),
      await peer(`${reps[1].url}/connect/ITB-1101/panel-b`),
    ];
    const sender = await messenger();
    sender.send('ITB-1101', v2('ITB-1101'));

    await waitFor(
      () => sockets.some((s) => s.events.length === 1),
      'an outside socket to get the event',
    );
    await waitFor(() => http.bodies.length === 1 && ws.frames.length === 1, 'both targets');
    expect(ws.frames[0]).toBe(`ITB-1101\n${JSON.stringify(v2('ITB-1101'))}`);
    expect(http.bodies).toEqual([v2('ITB-1101')]);
    const delivering = sockets.findIndex((s) => s.events.length === 1);
    expect(ws.paths[0]).toBe(`/connect/ITB-1101/${reps[delivering].repeaterId}`);
    sender.send('ITB-1101', v2('ITB-1101', { key: 'second' }));
    await waitFor(() => http.bodies.length === 2, 'the second event');
    expect(sockets.reduce((sum, s) => sum + s.events.length, 0)).toBe(2);
  });

  it('never delivers events that came in through a repeater to a repeater', async () => {
    const reps = [await repeater(), await repeater()];
    const watchers = [
      await peer(`${reps[0].url}/connect/*/w0`),
      await peer(`${reps[1].url}/connect/*/w1`),
    ];
    const listener = await messenger(['R-1']);
    const outside = await peer(`${reps[0].url}/connect/R-1/device`);
    outside.sendRaw(JSON.stringify(v2('R-1')), false);
    await listener.waitForEvents(1);
    // A messenger event afterwards reaches one watcher: anything from the outside socket would have come first.
    (await messenger()).send('R-1', { key: 'barrier' });
    await waitFor(() => watchers.some((w) => w.events.length > 0), 'the barrier');
    // Only the barrier came out of the repeaters: the outside event never went back to one.
    const cameOut = [...watchers, outside].flatMap((w) => w.events).map((e) => e.event);
    expect(cameOut.every((event) => (event as { key: string }).key === 'barrier')).toBe(true);
    expect(cameOut.length).toBeGreaterThan(0);
  });

  it('takes service events over its socket and POST /send, routed by name, with and without stamps', async () => {
    const serviceEvent = SERVICE_EVENT;
    const stamped = await repeater({ REPEATER_EVENT_PROFILE: 'service-event' });
    const plain = await repeater({
      REPEATER_EVENT_PROFILE: 'service-event',
      REPEATER_ENRICH: false,
    });
    const listener = await messenger(['geofence:created']);
    const outside = await peer(`${stamped.url}/connect`);
    outside.sendRaw(JSON.stringify(serviceEvent), false);
    expect((await postJson(`${plain.httpUrl}/send`, serviceEvent)).status).toBe(202);
    const events = await listener.waitForEvents(2);
    const byStamp = events
      .map((e) => e.event as Record<string, unknown>)
      .sort((a) => ('id' in a ? -1 : 1));
    expect(byStamp[0]).toEqual({
      ...serviceEvent,
      id: expect.any(String),
      processed_timestamp: expect.any(String),
    });
    expect(byStamp[1]).toEqual(serviceEvent);

    const refused = await postJson(`${plain.httpUrl}/send`, {
      ...serviceEvent,
      name: 'geofence:create',
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Json).errors).toEqual([
      expect.objectContaining({ field: 'name' }),
    ]);
    outside.sendRaw(JSON.stringify({ ...serviceEvent, request_id: 7 }), false);
    await waitFor(() => outside.texts.length === 1, 'the refusal');
    expect(JSON.parse(outside.texts[0]).details).toEqual([
      expect.objectContaining({ field: 'request_id' }),
    ]);
  });

  it('asks outside systems for a token when authentication is on', async () => {
    const rep = await repeater({
      REPEATER_AUTH_TOKENS: 'outside-secret',
      REPEATER_ALLOWED_ORIGINS: 'https://ops.example.com',
    });
    await expect(WsPeer.connect(`${rep.url}/connect/R-1/panel`)).rejects.toMatchObject({
      statusCode: 401,
    });
    await expect(
      WsPeer.connect(`${rep.url}/connect/R-1/panel?token=outside-secret`, {
        origin: 'https://evil.example.com',
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
    await peer(`${rep.url}/connect/R-1/panel?token=outside-secret`);
    expect((await postJson(`${rep.httpUrl}/send`, v2('R-1'))).status).toBe(401);
    const authorized = await postJson(`${rep.httpUrl}/send`, v2('R-1'), {
      authorization: 'Bearer outside-secret',
    });
    expect(authorized.status).toBe(202);
    expect((await fetch(`${rep.httpUrl}/health`)).status).toBe(200);
    expect((await fetch(`${rep.httpUrl}/status`)).status).toBe(401);
  });

  it('closes an outside socket idle past the timeout, and keeps a used one open', async () => {
    const rep = await repeater({ REPEATER_IDLE_TIMEOUT_MS: 400 });
    const idle = await peer(`${rep.url}/connect/R-1/idle`);
    const busy = await peer(`${rep.url}/connect/R-1/busy`);
    const keepBusy = setInterval(() => busy.sendRaw(JSON.stringify(v2('R-1')), false), 100);
    try {
      expect(await idle.waitForClose(3000)).toBe(1000);
      expect(idle.closeReason).toContain('idle');
      expect(busy.closeCode).toBeUndefined();
    } finally {
      clearInterval(keepBusy);
    }
  });

  it('retries an HTTP target that answers 500 twice, delivering once; a dead target does not delay it', async () => {
    const flaky = await httpTarget([500, 500]);
    cleanups.push(flaky.close);
    const dead = 'http://127.0.0.1:9/never';
    const rep = await repeater({
      REPEATER_SEND_MAP: JSON.stringify({ R: [dead, flaky.url] }),
      REPEATER_HTTP_BACKOFF_MS: 20,
      REPEATER_HTTP_RETRIES: 3,
    });
    const sender = await messenger();
    sender.send('R', { n: 1 });
    await waitFor(() => flaky.bodies.length === 1, 'the flaky target to accept');
    expect(flaky.calls()).toBe(3);
    expect(flaky.bodies).toEqual([{ n: 1 }]);
    await waitFor(
      async () => {
        const targets = (await getJson(`${rep.httpUrl}/status`)).targets;
        return targets.find((t: { address: string }) => t.address === dead)?.failed === 1;
      },
      'the dead target to be given up',
      10000,
    );
  });

  it('keeps what it was given while the hub restarts, and delivers it after, once and in order', async () => {
    const port = hub.port;
    const rep = await repeater();
    await hub.close();
    await waitFor(
      async () => (await getJson(`${rep.httpUrl}/status`)).uplink.state !== 'open',
      'the uplink to drop',
    );
    for (let n = 0; n < 5; n++)
      await postJson(`${rep.httpUrl}/send`, v2('R-1', { value: String(n) }));
    // The restarted hub's audit trail shows what reached it, whoever was subscribed then.
    const audit = join(mkdtempSync(join(tmpdir(), 'ces-repeater-')), 'audit.log');
    hub = await startHub({ HUB_PORT: port, HUB_AUDIT: audit, HUB_AUDIT_MAX_BYTES: 0 });
    const routed = () =>
      (existsSync(audit) ? readFileSync(audit, 'utf8').trim().split('\n').filter(Boolean) : [])
        .map((line) => JSON.parse(line))
        .filter((line) => line.outcome === 'routed' && line.source.kind === 'repeater');
    await waitFor(() => routed().length >= 5, 'five events at the restarted hub', 15000);
    await (await messenger()).roundTrip();
    const ids = routed().map((line) => line.id as string);
    expect(ids).toHaveLength(5);
    expect([...ids].sort()).toEqual(ids);
  });
});
