import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { e2eFixtures } from '../support/fixtures';
import { startHub, TestHub } from '../support/hub-harness';
import { getJson, postJson } from '../support/http';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';
import { scrape } from './support/prometheus-text';
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
    expect(metrics.types.get('ces_hub_routing_duration_seconds')).toBe('histogram');
    expect(metrics.value('ces_hub_routing_duration_seconds_count')).toBe(0);
    // Default process metrics are on.
    expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('counts the events waiting for a repeater in the #repeaters backlog', async () => {
    const hub = await start();
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
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/events`;
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
    expect(before.types.get('ces_repeater_events_in_total')).toBe('counter');
    expect(before.types.get('ces_repeater_target_queue_events')).toBe('gauge');
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
    expect(after.value('ces_repeater_events_in_total', { via: 'http' })).toBe(1);
    expect(after.value('ces_repeater_events_out_total')).toBe(1);
    expect(after.value('ces_repeater_rejected_total', { reason: 'invalid-event' })).toBe(1);
    expect(after.value('ces_repeater_outside_connections')).toBe(1);
    expect(after.sum('ces_repeater_target_failures_total')).toBe(0);
    expect(after.sum('ces_repeater_target_queue_events')).toBe(0);
  });
});
