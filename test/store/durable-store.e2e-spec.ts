import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtApp, freePort, runApp } from '../support/built-app';
import { builtHubFixtures } from '../support/fixtures';
import { getJson, postJson } from '../support/http';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

type Numbered = { n: number };
const numbers = (peer: WsPeer) => peer.events.map((e) => (e.event as Numbered).n);
const range = (from: number, to: number) => [...Array(to - from).keys()].map((i) => i + from);

/** Built hubs as their own processes with an SQLite store, so they can be killed for real. */
describe('the durable store across hub processes', () => {
  const hubs = builtHubFixtures('ces-store-e2e-');
  const { spawnHub } = hubs;

  const statusOf = (port: number) => getJson(`http://127.0.0.1:${port}/status`);

  async function messenger(port: number, rooms: string[] = [], extra = {}): Promise<WsPeer> {
    const peer = hubs.track(await WsPeer.connect(`ws://127.0.0.1:${port}/connect/messenger`));
    if (rooms.length > 0) await peer.subscribe(rooms, extra);
    return peer;
  }

  /**
   * A durable group `billing` on `room` whose only member has left, as the hub sees it: until the
   * hub has handled the close, an event could still be written to the closing member, and
   * would wait for its ack there instead of being kept for the group.
   */
  async function memberGone(port: number, room = 'R'): Promise<void> {
    const first = await messenger(port, [room], { group: 'billing', durable: true });
    await first.close();
    await waitFor(
      async () => (await statusOf(port)).groups.billing?.members === 0,
      'the hub to see the member leave',
    );
  }

  /** A durable group whose only member has gone, and `count` events published to it. */
  async function offlineGroupWith(port: number, count: number): Promise<void> {
    await memberGone(port);
    const sender = await messenger(port);
    for (let n = 0; n < count; n++) sender.send('R', { n });
    await sender.roundTrip();
    await sender.close();
  }

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'loses none of 1,000 events of a durable group whose member is offline when the hub is stopped with %s',
    async (signal) => {
      const port = await freePort();
      const hub = await spawnHub(port);
      await offlineGroupWith(port, 1000);
      // `stored` counts rows once their transaction has committed.
      await waitFor(
        async () => (await statusOf(port)).totals.groups.stored === 1000,
        '1,000 events stored',
      );
      const { hubId } = await statusOf(port);
      await hub.stop(signal);

      await spawnHub(port);
      const status = await statusOf(port);
      expect(status.hubId).toBe(hubId);
      expect(readFileSync(join(hubs.dataDir, 'hub-id'), 'utf8').trim()).toBe(hubId);
      expect(status.groups.billing).toMatchObject({ members: 0, rooms: ['R'], durable: true });
      expect(status.backlogs.billing).toBe(1000);
      expect(status.totals.groups.restored).toBe(1000);

      const next = await messenger(port, ['R'], { group: 'billing', durable: true });
      await next.waitForEvents(1000, 10_000);
      expect(numbers(next)).toEqual(range(0, 1000));
    },
    60_000,
  );

  it('answers POST /event once a durable group’s copy is stored: SIGKILL right after loses none', async () => {
    const port = await freePort();
    const hub = await spawnHub(port);
    await memberGone(port, 'ITB-1101');
    for (let n = 0; n < 200; n++) {
      const response = await postJson(`http://127.0.0.1:${port}/event`, {
        key: 'n',
        value: String(n),
        'affected-room': { buildingID: 'ITB', roomID: 'ITB-1101' },
      }).catch((error: Error) => {
        // Say what the hub said: a refused connection here means its process is gone.
        throw new Error(`POST /event ${n}: ${error.message}\n${hub.output()}`);
      });
      expect(response.status).toBe(202);
    }
    await hub.stop('SIGKILL');

    await spawnHub(port);
    const next = await messenger(port, ['ITB-1101'], { group: 'billing', durable: true });
    await next.waitForEvents(200);
    expect(next.events.map((e) => Number((e.event as { value: string }).value))).toEqual(
      range(0, 200),
    );
  }, 60_000);

  it('after SIGKILL, redelivers only what was not acknowledged', async () => {
    const port = await freePort();
    const hub = await spawnHub(port);
    const member = await messenger(port, ['R'], { group: 'billing', durable: true });
    const sender = await messenger(port);
    for (let n = 0; n < 100; n++) sender.send('R', { n });
    await member.waitForEvents(100);
    member.sendRaw(JSON.stringify({ ack: 40 }), false);
    await member.roundTrip();
    // A request read after the ack: the turn that read the ack has written its batch.
    await waitFor(
      async () => (await statusOf(port)).totals.groups.acknowledged === 40,
      'the ack applied',
    );
    await hub.stop('SIGKILL');

    await spawnHub(port);
    const next = await messenger(port, ['R'], { group: 'billing', durable: true });
    await next.waitForEvents(60);
    expect(numbers(next)).toEqual(range(40, 100));
  }, 60_000);

  it('lets one hub process hold a store file: a second with the same id stops, naming it', async () => {
    await spawnHub(await freePort(), { HUB_ID: 'hub-one' });
    const second = hubs.trackProcess(
      runApp(builtApp('hub'), {
        HUB_PORT: String(await freePort()),
        HUB_HOST: '127.0.0.1',
        HUB_STORE: 'sqlite',
        HUB_DATA_DIR: hubs.dataDir,
        HUB_ID: 'hub-one',
      }),
    );
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain(
      `the store ${join(hubs.dataDir, 'hub-one.sqlite')} is in use by another process`,
    );
  }, 60_000);

  it('moves a damaged database file aside, says so, and starts with an empty store', async () => {
    const port = await freePort();
    const file = join(hubs.dataDir, 'hub-damaged.sqlite');
    writeFileSync(file, Buffer.alloc(16 * 1024, 0x5a));
    const hub = await spawnHub(port, { HUB_ID: 'hub-damaged' });
    const aside = readdirSync(hubs.dataDir).filter((name) =>
      name.startsWith('hub-damaged.sqlite.corrupt-'),
    );
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(hubs.dataDir, aside[0]))).toEqual(Buffer.alloc(16 * 1024, 0x5a));
    expect(hub.output()).toContain(`the store ${file} is damaged`);
    expect(hub.output()).toContain(aside[0]);
    expect((await statusOf(port)).totals.groups['store-damaged']).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

    // The fresh store works: what it keeps survives the next restart.
    await offlineGroupWith(port, 10);
    await waitFor(async () => (await statusOf(port)).totals.groups.stored === 10, '10 stored');
    await hub.stop('SIGKILL');
    await spawnHub(port, { HUB_ID: 'hub-damaged' });
    expect(existsSync(file)).toBe(true);
    expect((await statusOf(port)).backlogs.billing).toBe(10);
  }, 60_000);

  it('starts and routes when its data directory cannot be written, not ready and saying why', async () => {
    const port = await freePort();
    // A path under a regular file: no directory can be made there, whoever runs the test.
    writeFileSync(join(hubs.dataDir, 'a-file'), '');
    const hub = await spawnHub(port, { HUB_DATA_DIR: join(hubs.dataDir, 'a-file', 'data') });
    const status = await statusOf(port);
    expect(status.store).toMatchObject({ kind: 'sqlite', writable: false });
    expect(status.store.error).toContain('cannot open the store');
    expect(status.totals.groups['store-failed']).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(503);
    expect(hub.output()).toContain('durable groups are held in memory only');
    const plain = await messenger(port, ['R']);
    await offlineGroupWith(port, 3);
    await plain.waitForEvents(3);
    const next = await messenger(port, ['R'], { group: 'billing', durable: true });
    await next.waitForEvents(3);
  }, 60_000);

  it('on a full store: says so, is not ready, counts it, and goes on routing', async () => {
    const port = await freePort();
    const hub = await spawnHub(port, { HUB_STORE_MAX_BYTES: String(64 * 1024) });
    const plain = await messenger(port, ['R']);
    await memberGone(port);
    const sender = await messenger(port);
    const payload = 'x'.repeat(4000);
    // One event per write until one does not fit: every later one is as large, so none fits
    // and the store stays full.
    let sent = 0;
    while (sent < 50 && (await statusOf(port)).store.writable) {
      sender.send('R', { n: sent++, payload });
      await sender.roundTrip();
    }
    expect(sent).toBeLessThan(50);
    while (sent < 50) sender.send('R', { n: sent++, payload });
    await sender.roundTrip();

    const status = await statusOf(port);
    expect(status.store.writable).toBe(false);
    expect(status.store.error).toMatch(/full/);
    expect(status.totals.groups['store-failed']).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { error: Record<string, unknown> }).error.store).toMatchObject(
      { status: 'down', writable: false },
    );
    expect(hub.output()).toContain('cannot write the store');

    // Routing goes on, and the durable group still gets what it holds in memory.
    await plain.waitForEvents(50);
    expect(numbers(plain)).toEqual(range(0, 50));
    const next = await messenger(port, ['R'], { group: 'billing', durable: true });
    await next.waitForEvents(50);
    expect(numbers(next)).toEqual(range(0, 50));
  }, 60_000);
});
