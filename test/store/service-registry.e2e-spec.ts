import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessengerClient } from '@ces/messenger';
import { AppProcess, builtApp, freePort, runApp } from '../support/built-app';
import { e2eFixtures } from '../support/fixtures';
import { getJson } from '../support/http';
import type { TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

type Numbered = { n: number };
const numbers = (peer: WsPeer) => peer.events.map((e) => (e.event as Numbered).n);
const range = (count: number) => [...Array(count).keys()];

const NOTIFIER = { name: 'notifier', queue: ['geofence:created'], topic: ['member:moved'] };

describe('the service registry', () => {
  let dir: string;
  let registryFile: string;
  const { hub: start, connect, messenger, track } = e2eFixtures();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ces-registry-e2e-'));
    registryFile = join(dir, 'registry.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const writeRegistry = (services: unknown[]) =>
    writeFileSync(registryFile, JSON.stringify({ services }));
  const instance = (hub: TestHub, service: string) =>
    connect(`${hub.url}/connect/messenger?service=${service}`);
  const publish = async (hub: TestHub, room: string, count: number) => {
    const sender = await messenger(hub);
    for (let n = 0; n < count; n++) sender.send(room, { n });
    await sender.roundTrip();
  };

  it('queues a service’s events from startup and subscribes its instances to queue and topic', async () => {
    writeRegistry([NOTIFIER]);
    const hub = await start({ HUB_REGISTRY: registryFile });
    await publish(hub, 'geofence:created', 5);
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.backlogs.notifier).toBe(5);
    expect(status.registry).toMatchObject({ source: registryFile, services: 1 });

    const first = await instance(hub, 'notifier');
    await first.waitForEvents(5);
    expect(numbers(first)).toEqual(range(5));
    const second = await instance(hub, 'notifier');
    await second.roundTrip();
    await publish(hub, 'member:moved', 1);
    await publish(hub, 'geofence:created', 4);
    // The topic reaches every instance; the queue each event once, at one of them.
    await waitFor(
      () => first.events.length + second.events.length === 5 + 2 + 4,
      'topic and queue events',
    );
    const rooms = (peer: WsPeer) => peer.events.map((e) => e.room);
    expect(rooms(first).filter((room) => room === 'member:moved')).toHaveLength(1);
    expect(rooms(second).filter((room) => room === 'member:moved')).toHaveLength(1);
    expect(second.events.some((e) => e.room === 'geofence:created')).toBe(true);
  });

  it('gives a MessengerClient with the service option its service’s events, acked as processed', async () => {
    writeRegistry([NOTIFIER]);
    const hub = await start({ HUB_REGISTRY: registryFile });
    await publish(hub, 'geofence:created', 5);
    const client = track(new MessengerClient({ hubUrl: hub.url, service: 'notifier' }));
    const received: unknown[] = [];
    client.on('event', (room, event) => received.push({ room, event }));
    await client.connect();
    await waitFor(() => received.length === 5, 'the queued events');
    expect(received).toEqual(range(5).map((n) => ({ room: 'geofence:created', event: { n } })));
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).peers.messengers[0]?.unacked === 0,
      'the client to acknowledge them',
    );
  });

  it('keeps the last good copy when the registry cannot be read, and shows why', async () => {
    writeRegistry([NOTIFIER]);
    const hub = await start({ HUB_REGISTRY: registryFile, HUB_REGISTRY_REFRESH_MS: 100 });
    writeRegistry([NOTIFIER, { name: 'audit', topic: ['member:moved'] }]);
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).registry.services === 2,
      'the registry read again',
    );
    writeFileSync(registryFile, '{ not json');
    await waitFor(
      async () => /not JSON/.test((await getJson(`${hub.httpUrl}/status`)).registry.error ?? ''),
      'the failure shown',
    );
    const health = await getJson(`${hub.httpUrl}/health`);
    expect(health.status).toBe('ok');
    expect(health.details.registry).toMatchObject({ status: 'up', services: 2 });
    expect(health.details.registry.error).toMatch(/not JSON/);

    const audit = await instance(hub, 'audit');
    await audit.roundTrip();
    await publish(hub, 'member:moved', 1);
    await audit.waitForEvents(1);
  });

  it('takes from connected instances the rooms a new copy of the registry drops, and gives them the added ones', async () => {
    writeRegistry([{ name: 'svc', queue: ['q-old', 'q-kept'], topic: ['t-old'] }]);
    const hub = await start({ HUB_REGISTRY: registryFile, HUB_REGISTRY_REFRESH_MS: 100 });
    const member = await instance(hub, 'svc');
    await member.roundTrip();
    const sender = await messenger(hub);
    const sendEach = async (rooms: string[], n: number) => {
      for (const room of rooms) sender.send(room, { n });
      await sender.roundTrip();
    };
    await sendEach(['q-old', 't-old'], 1);
    await member.waitForEvents(2);

    writeRegistry([{ name: 'svc', queue: ['q-kept', 'q-new'], topic: ['t-new'] }]);
    const peerOf = async () => (await getJson(`${hub.httpUrl}/status`)).peers.messengers[0];
    await waitFor(
      async () => ((await peerOf())?.rooms ?? []).join() === 't-new',
      'the instance subscribed to the new topic only',
    );
    const status = await getJson(`${hub.httpUrl}/status`);
    expect([...status.groups.svc.rooms].sort()).toEqual(['q-kept', 'q-new']);

    // One publisher, in order: once the last two arrive, the dropped rooms' would have too.
    await sendEach(['q-old', 't-old', 'q-kept', 'q-new', 't-new'], 2);
    await member.waitForEvents(5);
    expect(member.events.slice(2).map((e) => e.room)).toEqual(['q-kept', 'q-new', 't-new']);
    // The released queue room is no longer kept for the group either.
    expect((await getJson(`${hub.httpUrl}/status`)).backlogs.svc).toBeUndefined();
  });

  it('leaves a removed service’s durable group memberless, keeping its events until it is listed again', async () => {
    writeRegistry([NOTIFIER]);
    const hub = await start({ HUB_REGISTRY: registryFile, HUB_REGISTRY_REFRESH_MS: 100 });
    const member = await instance(hub, 'notifier');
    await member.roundTrip();
    writeRegistry([]);
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).groups.notifier?.members === 0,
      'the instance out of the group',
    );
    expect((await getJson(`${hub.httpUrl}/status`)).peers.messengers[0].rooms).toEqual([]);
    await publish(hub, 'geofence:created', 3);
    expect(member.events).toEqual([]);
    expect((await getJson(`${hub.httpUrl}/status`)).backlogs.notifier).toBe(3);

    writeRegistry([NOTIFIER]);
    await member.waitForEvents(3);
    expect(numbers(member)).toEqual(range(3));
  });

  it('tells an instance of a service it does not know', async () => {
    writeRegistry([NOTIFIER]);
    const hub = await start({ HUB_REGISTRY: registryFile });
    const stranger = await instance(hub, 'nobody');
    await waitFor(() => stranger.texts.length > 0, 'an error');
    expect(JSON.parse(stranger.texts[0]).error).toContain('no service nobody');
  });

  it('is not ready when no copy could be read at startup', async () => {
    const hub = await start({ HUB_REGISTRY: join(dir, 'missing.json') });
    const response = await fetch(`${hub.httpUrl}/health`);
    expect(response.status).toBe(503);
    expect(
      ((await response.json()) as { error: Record<string, unknown> }).error.registry,
    ).toMatchObject({
      status: 'down',
    });
  });

  describe('with the SQLite store, across a restart', () => {
    const processes: AppProcess[] = [];
    afterEach(async () => {
      for (const hub of processes.splice(0))
        if (hub.child.exitCode === null && hub.child.signalCode === null) {
          hub.child.kill('SIGKILL');
          await hub.exited;
        }
    });

    const spawnHub = async (port: number) => {
      const hub = runApp(builtApp('hub'), {
        HUB_PORT: String(port),
        HUB_HOST: '127.0.0.1',
        HUB_STORE: 'sqlite',
        HUB_DATA_DIR: join(dir, 'data'),
        HUB_REGISTRY: registryFile,
        LOG_LEVEL: 'warn',
      });
      processes.push(hub);
      await waitFor(
        async () =>
          (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.ok === true,
        `hub on ${port}\n${hub.output()}`,
        15_000,
      );
      return hub;
    };

    it('gives the first instance all 500 events published before any ever connected', async () => {
      writeRegistry([NOTIFIER]);
      const port = await freePort();
      const hub = await spawnHub(port);
      const sender = await WsPeer.connect(`ws://127.0.0.1:${port}/connect/messenger`);
      for (let n = 0; n < 500; n++) sender.send('geofence:created', { n });
      await sender.roundTrip();
      await sender.close();
      await waitFor(
        async () => (await getJson(`http://127.0.0.1:${port}/status`)).totals.groups.stored === 500,
        '500 stored',
      );
      hub.child.kill('SIGKILL');
      await hub.exited;

      await spawnHub(port);
      const first = await WsPeer.connect(
        `ws://127.0.0.1:${port}/connect/messenger?service=notifier`,
      );
      try {
        await first.waitForEvents(500, 10_000);
        expect(numbers(first)).toEqual(range(500));
      } finally {
        await first.close();
      }
    }, 60_000);
  });
});
