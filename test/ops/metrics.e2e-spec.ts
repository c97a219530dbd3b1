import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { e2eFixtures } from '../support/fixtures';
import { startHub, TestHub } from '../support/hub-harness';
import { getJson, postJson } from '../support/http';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';
import { Scrape, scrape } from './support/prometheus-text';
import { loadRepeater, RunningRepeater, StartRepeater } from './support/repeater';

describe('GET /metrics on the hub', () => {
  const { hub: start, messenger } = e2eFixtures();

  it('serves the hub series, typed, with the process metrics', async () => {
    const hub = await start();
    const response = await fetch(`${hub.httpUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);

    const metrics = await scrape(hub.httpUrl);
    expect(metrics.value('ces_hub_info', { hub_id: hub.hubId })).toBe(1);
    for (const kind of ['messenger', 'repeater', 'hub']) {
      expect(metrics.value('ces_hub_peers', { kind })).toBe(0);
      expect(metrics.value('ces_hub_send_buffer_bytes', { kind })).toBe(0);
    }
    expect(metrics.types.get('ces_hub_peers')).toBe('gauge');
    for (const counter of [
      'ces_hub_events_in_total',
      'ces_hub_events_out_total',
      'ces_hub_events_dropped_total',
      'ces_hub_frames_rejected_total',
    ])
      expect(metrics.types.get(counter)).toBe('counter');
    expect(metrics.types.get('ces_hub_link_state')).toBe('gauge');
    expect(metrics.value('ces_hub_store_writable')).toBe(1);
    expect(metrics.types.get('ces_hub_routing_duration_seconds')).toBe('histogram');
    expect(metrics.value('ces_hub_routing_duration_seconds_count')).toBe(0);
    // Default process metrics are on.
    expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('counts the events waiting for a repeater in the #repeaters backlog', async () => {
    const hub = await start();
    // Events are kept for repeaters once one has connected: this one comes and goes.
    const repeater = await WsPeer.connect(`${hub.url}/connect/repeater`);
    await repeater.close();
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).peers.repeaters.length === 0,
      'the repeater to be gone',
    );
    const sender = await messenger(hub);
    sender.send('ITB-1101', { n: 1 });
    sender.send('ITB-1101', { n: 2 });
    await waitFor(
      async () =>
        (await scrape(hub.httpUrl)).value('ces_hub_backlog_events', { group: '#repeaters' }) === 2,
      'two events in the #repeaters backlog',
    );
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.backlogs).toMatchObject({ '#repeaters': 2 });
  });

  it('needs a token when the hub requires one, as its other endpoints do', async () => {
    const hub = await start({ HUB_AUTH_TOKENS: 'scrape-secret' });
    expect((await fetch(`${hub.httpUrl}/metrics`)).status).toBe(401);
    const metrics = await scrape(hub.httpUrl, { authorization: 'Bearer scrape-secret' });
    expect(metrics.value('ces_hub_info', { hub_id: hub.hubId })).toBe(1);
  });

  it('counts events in and out, peers and rejected frames as they happen', async () => {
    const hub = await start();
    const receiver = await messenger(hub, ['ITB-1101']);
    const sender = await messenger(hub);
    const before = await scrape(hub.httpUrl);
    expect(before.value('ces_hub_peers', { kind: 'messenger' })).toBe(2);
    expect(before.sum('ces_hub_events_in_total')).toBe(0);

    for (let n = 0; n < 25; n++) sender.send('ITB-1101', { key: 'n', value: String(n) });
    await receiver.waitForEvents(25);
    const api = await postJson(`${hub.httpUrl}/event`, {
      key: 'power',
      value: 'on',
      'affected-room': { buildingID: 'ITB', roomID: 'ITB-1101' },
    });
    expect(api.status).toBe(202);
    await receiver.waitForEvents(26);
    sender.sendRaw(Buffer.from('a frame with no room line'));
    await sender.roundTrip();

    const after = await scrape(hub.httpUrl);
    expect(after.value('ces_hub_events_in_total', { source: 'messenger' })).toBe(25);
    expect(after.value('ces_hub_events_in_total', { source: 'api' })).toBe(1);
    expect(after.value('ces_hub_events_out_total', { kind: 'messenger' })).toBe(26);
    expect(after.sum('ces_hub_frames_rejected_total')).toBe(1);
    expect(after.value('ces_hub_rooms')).toBe(1);

    await receiver.close();
    await waitFor(
      async () => (await scrape(hub.httpUrl)).value('ces_hub_peers', { kind: 'messenger' }) === 1,
      'the peers gauge to go down',
    );
  });

  it('counts bytes in and out by peer kind, and connections opened and closed by code', async () => {
    const hub = await start();
    const receiver = await messenger(hub, ['ITB-1101']);
    const sender = await messenger(hub);
    const before = await scrape(hub.httpUrl);
    expect(before.types.get('ces_hub_bytes_in_total')).toBe('counter');
    expect(before.value('ces_hub_connections_opened_total', { kind: 'messenger' })).toBe(2);

    const frame = Buffer.from(
      `ITB-1101\n${JSON.stringify({ key: 'pad', value: 'x'.repeat(500) })}`,
    );
    const count = 20;
    for (let n = 0; n < count; n++) sender.sendRaw(frame);
    await receiver.waitForEvents(count);

    const after = await scrape(hub.httpUrl);
    const grew = (name: string) =>
      after.value(name, { kind: 'messenger' })! - before.value(name, { kind: 'messenger' })!;
    // At least the events' bytes; the pings of the round trips may add a few.
    expect(grew('ces_hub_bytes_in_total')).toBeGreaterThanOrEqual(count * frame.length);
    expect(grew('ces_hub_bytes_in_total')).toBeLessThan(count * frame.length + 1000);
    expect(grew('ces_hub_bytes_out_total')).toBeGreaterThanOrEqual(count * frame.length);
    expect(grew('ces_hub_bytes_out_total')).toBeLessThan(count * frame.length + 1000);
    expect(after.value('ces_hub_bytes_in_total', { kind: 'repeater' })).toBe(0);

    // A peer that leaves keeps its bytes in the totals: the counters never go down.
    receiver.socket.close(4321, 'a code of its own');
    await receiver.waitForClose();
    sender.socket.close(1000);
    await sender.waitForClose();
    await waitFor(
      async () => (await scrape(hub.httpUrl)).value('ces_hub_peers', { kind: 'messenger' }) === 0,
      'both messengers to be gone',
    );
    const gone = await scrape(hub.httpUrl);
    const closed = (code: string) =>
      gone.value('ces_hub_connections_closed_total', { kind: 'messenger', code });
    expect(closed('1000')).toBe(1);
    expect(closed('other')).toBe(1);
    expect(gone.value('ces_hub_bytes_in_total', { kind: 'messenger' })).toBeGreaterThanOrEqual(
      after.value('ces_hub_bytes_in_total', { kind: 'messenger' })!,
    );
    expect(gone.value('ces_hub_bytes_out_total', { kind: 'messenger' })).toBeGreaterThanOrEqual(
      after.value('ces_hub_bytes_out_total', { kind: 'messenger' })!,
    );
  });

  it('counts refused HTTP requests apart from rejected frames', async () => {
    const hub = await start();
    const invalid = await postJson(`${hub.httpUrl}/event`, { key: 'power' });
    expect(invalid.status).toBe(400);
    await expect(WsPeer.connect(`${hub.url}/connect/nobody`)).rejects.toThrow('HTTP 400');

    const metrics = await scrape(hub.httpUrl);
    expect(metrics.value('ces_hub_http_requests_refused_total', { reason: 'invalid-event' })).toBe(
      1,
    );
    expect(
      metrics.value('ces_hub_http_requests_refused_total', { reason: 'upgrade-unknown-type' }),
    ).toBe(1);
    expect(metrics.sum('ces_hub_frames_rejected_total')).toBe(0);
  });

  it('counts dropped events by reason', async () => {
    const hub = await start({ HUB_PUBLISH_RATE: 1, HUB_PUBLISH_BURST: 1 });
    const sender = await messenger(hub);
    for (let n = 0; n < 10; n++) sender.send('R', { n });
    await sender.roundTrip();

    const metrics = await scrape(hub.httpUrl);
    const accepted = metrics.value('ces_hub_events_in_total', { source: 'messenger' }) ?? 0;
    const dropped = metrics.value('ces_hub_events_dropped_total', { reason: 'rate-limited' }) ?? 0;
    expect(dropped).toBeGreaterThanOrEqual(8);
    expect(accepted + dropped).toBe(10);
  });

  it('reports each link with its state, on both hubs', async () => {
    const [a, b] = [await start(), await start()];
    const address = `127.0.0.1:${b.port}`;
    const linked = await fetch(`${a.httpUrl}/interconnect/${encodeURIComponent(address)}`, {
      method: 'POST',
    });
    expect(linked.status).toBe(201);

    const onA = await scrape(a.httpUrl);
    expect(onA.value('ces_hub_link_state', { address, direction: 'out', state: 'open' })).toBe(1);
    expect(
      onA.value('ces_hub_link_state', { address, direction: 'out', state: 'reconnecting' }),
    ).toBe(0);
    expect(onA.value('ces_hub_peers', { kind: 'hub' })).toBe(1);
    await waitFor(
      async () =>
        (await scrape(b.httpUrl)).value('ces_hub_link_state', {
          direction: 'in',
          state: 'open',
        }) === 1,
      'the incoming link on b',
    );

    const unlinked = await fetch(`${a.httpUrl}/interconnect/${encodeURIComponent(address)}`, {
      method: 'DELETE',
    });
    expect(unlinked.status).toBe(204);
    expect((await scrape(a.httpUrl)).samples('ces_hub_link_state')).toEqual([]);
  });
});

describe('GET /metrics on the repeater', () => {
  let startRepeater: StartRepeater;
  let hub: TestHub;
  let repeater: RunningRepeater;
  let target: Server;
  let targetHost: string;
  const posted: string[] = [];
  const peers: WsPeer[] = [];
  const repeaterUrl = () => `http://127.0.0.1:${repeater.port}`;

  beforeAll(async () => {
    ({ startRepeater } = await loadRepeater());
  });

  beforeEach(async () => {
    target = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        posted.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetHost = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const targetUrl = `${targetHost}/events?key=secret`;
    hub = await startHub();
    repeater = await startRepeater({
      REPEATER_HOST: '127.0.0.1',
      REPEATER_PORT: 0,
      REPEATER_HUB_URL: hub.url,
      REPEATER_SEND_MAP: JSON.stringify({ 'ITB-1101': [targetUrl] }),
      LOG_LEVEL: 'error',
    });
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await repeater?.app.close();
    await hub?.close();
    await new Promise((resolve) => (target ? target.close(resolve) : resolve(undefined)));
    posted.splice(0);
  });

  it('serves the repeater series, which move as events pass through', async () => {
    await waitFor(
      async () => (await scrape(repeaterUrl())).value('ces_repeater_uplink_up') === 1,
      'the uplink to open',
    );
    const before = await scrape(repeaterUrl());
    expect(before.value('ces_repeater_uplink_state', { state: 'open' })).toBe(1);
    expect(before.value('ces_repeater_outside_connections')).toBe(0);
    expect(
      ['ces_repeater_events_in_total', 'ces_repeater_target_queue_events'].map((name) =>
        before.types.get(name),
      ),
    ).toEqual(['counter', 'gauge']);
    expect(before.sum('ces_repeater_target_deliveries_total')).toBe(0);
    expect(before.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);

    // In: an outside system posts an event; a messenger on the hub gets it.
    const onHub = await WsPeer.connect(`${hub.url}/connect/messenger`);
    peers.push(onHub);
    await onHub.subscribe(['ITB-1101']);
    const event = { key: 'power', value: 'on', 'affected-room': { roomID: 'ITB-1101' } };
    expect((await postJson(`${repeaterUrl()}/send`, event)).status).toBe(202);
    await onHub.waitForEvents(1);
    expect((await postJson(`${repeaterUrl()}/send`, ['not', 'an', 'event'])).status).toBe(400);

    // Out: a messenger's event reaches the repeater's outside socket and its send-map target.
    const outside = await WsPeer.connect(
      `ws://127.0.0.1:${repeater.port}/connect/ITB-1101/panel-1`,
    );
    peers.push(outside);
    onHub.send('ITB-1101', { key: 'input', value: 'hdmi1' });
    await outside.waitForEvents(1);
    await waitFor(() => posted.length === 1, 'the send-map target to get the event');

    await waitFor(
      async () => (await scrape(repeaterUrl())).sum('ces_repeater_target_deliveries_total') === 1,
      'the delivery to be counted',
    );
    const after = await scrape(repeaterUrl());
    expect({
      inOverHttp: after.value('ces_repeater_events_in_total', { via: 'http' }),
      out: after.value('ces_repeater_events_out_total'),
      refused: after.value('ces_repeater_http_requests_refused_total', { reason: 'invalid-event' }),
      rejected: after.sum('ces_repeater_rejected_total'),
      outside: after.value('ces_repeater_outside_connections'),
      failures: after.sum('ces_repeater_target_failures_total'),
      queued: after.sum('ces_repeater_target_queue_events'),
    }).toEqual({
      inOverHttp: 1,
      out: 1,
      refused: 1,
      rejected: 0,
      outside: 1,
      failures: 0,
      queued: 0,
    });
    // The target is labelled by its scheme and host: no path, no query (which may hold a key).
    expect(after.samples('ces_repeater_target_deliveries_total')).toEqual([
      { labels: { target: targetHost, kind: 'http' }, value: 1 },
    ]);
  });

  it('counts bytes by where they went and outside sockets by close code', async () => {
    await waitFor(
      async () => (await scrape(repeaterUrl())).value('ces_repeater_uplink_up') === 1,
      'the uplink to open',
    );
    const onHub = await WsPeer.connect(`${hub.url}/connect/messenger`);
    peers.push(onHub);
    await onHub.subscribe(['ITB-1101']);
    const outside = await WsPeer.connect(
      `ws://127.0.0.1:${repeater.port}/connect/ITB-1101/panel-1`,
    );
    const before = await scrape(repeaterUrl());
    expect(before.value('ces_repeater_connections_opened_total')).toBe(1);
    const bytes = (scrape: Scrape, name: string, via: string) => scrape.value(name, { via }) ?? 0;

    // Outside socket → repeater → hub: in on the websocket, out on the uplink.
    const event = JSON.stringify({ key: 'pad', value: 'x'.repeat(300) });
    const frame = Buffer.from(`ITB-1101\n${event}`);
    outside.sendRaw(frame);
    await onHub.waitForEvents(1);
    // Hub → repeater → outside socket: in on the uplink, out on the websocket.
    onHub.sendRaw(frame);
    await outside.waitForEvents(1);
    // An HTTP body: in on http.
    const body = { key: 'power', value: 'on', 'affected-room': { roomID: 'ITB-1101' } };
    expect((await postJson(`${repeaterUrl()}/send`, body)).status).toBe(202);
    await onHub.waitForEvents(2);

    const after = await scrape(repeaterUrl());
    const grew = (name: string, via: string) => bytes(after, name, via) - bytes(before, name, via);
    expect(grew('ces_repeater_bytes_in_total', 'websocket')).toBe(frame.length);
    expect(grew('ces_repeater_bytes_out_total', 'websocket')).toBe(frame.length);
    expect(grew('ces_repeater_bytes_in_total', 'uplink')).toBeGreaterThanOrEqual(frame.length);
    expect(grew('ces_repeater_bytes_in_total', 'http')).toBe(
      Buffer.byteLength(JSON.stringify(body)),
    );
    // The outside socket's frame, then the HTTP event with its room line.
    expect(grew('ces_repeater_bytes_out_total', 'uplink')).toBeGreaterThan(
      frame.length + 'ITB-1101\n'.length,
    );

    outside.socket.close(1000);
    await outside.waitForClose();
    await waitFor(
      async () =>
        (await scrape(repeaterUrl())).value('ces_repeater_connections_closed_total', {
          code: '1000',
        }) === 1,
      'the close to be counted with its code',
    );
  });
});
