import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getJson, Json, postJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';
import { SERVICE_EVENT as serviceEvent } from '../support/sample-events';

describe('POST /event profiles and enrichment', () => {
  let hub: TestHub;
  const peers: WsPeer[] = [];
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await hub.close();
  });
  const subscriber = async (room: string) => {
    const peer = await WsPeer.connect(`${hub.url}/connect/messenger`);
    peers.push(peer);
    await peer.subscribe([room]);
    return peer;
  };

  it('routes service events by their name and stamps them', async () => {
    hub = await startHub({ HUB_EVENT_PROFILE: 'service-event' });
    const receiver = await subscriber('geofence:created');
    const response = await postJson(`${hub.httpUrl}/event`, serviceEvent);
    expect(response.status).toBe(202);
    const [{ room, event }] = await receiver.waitForEvents(1);
    expect(room).toBe('geofence:created');
    expect(event).toEqual({
      ...serviceEvent,
      id: expect.any(String),
      processed_timestamp: expect.any(String),
    });
  });

  it('refuses a service event with the field-level reasons', async () => {
    hub = await startHub({ HUB_EVENT_PROFILE: 'service-event' });
    const response = await postJson(`${hub.httpUrl}/event`, {
      ...serviceEvent,
      name: 'geofence:create',
      source: 3,
    });
    expect(response.status).toBe(400);
    const body: Json = await response.json();
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'source']);
  });

  it('leaves events as they are when enrichment is off', async () => {
    hub = await startHub({ HUB_ENRICH: false });
    const receiver = await subscriber('R');
    const event = { key: 'k', 'affected-room': { roomID: 'R' } };
    await postJson(`${hub.httpUrl}/event`, event);
    expect((await receiver.waitForEvents(1))[0].event).toEqual(event);
  });
});

describe('the audit trail', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ces-audit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a line per routed and per refused event, with destinations and reasons', async () => {
    const file = join(dir, 'audit.log');
    const hub = await startHub({ HUB_AUDIT: file });
    const receivers = [
      await WsPeer.connect(`${hub.url}/connect/messenger`),
      await WsPeer.connect(`${hub.url}/connect/messenger`),
    ];
    for (const r of receivers) await r.subscribe(['R']);
    const sender = await WsPeer.connect(`${hub.url}/connect/messenger`);
    sender.send('R', { id: 'evt-1', key: 'k' });
    sender.sendRaw(Buffer.from('no room line'));
    await postJson(`${hub.httpUrl}/event`, { key: 7 });
    await receivers[0].waitForEvents(1);
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).audit.written >= 3,
      'three audit lines',
    );
    await Promise.all([...receivers, sender].map((p) => p.close()));
    await hub.close();

    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outcome: 'routed',
          id: 'evt-1',
          room: 'R',
          source: { kind: 'messenger', id: expect.any(String) },
          destinations: { messenger: 2 },
        }),
        expect.objectContaining({
          outcome: 'refused',
          reason: 'no-newline',
          source: expect.objectContaining({ kind: 'messenger' }),
        }),
        expect.objectContaining({
          outcome: 'refused',
          reason: 'invalid-event',
          details: [expect.objectContaining({ field: 'key' })],
        }),
      ]),
    );
  });

  it('drops audit lines, counted, when the writer stalls, and routing goes on', async () => {
    const fifo = join(dir, 'nobody-reads-this');
    execFileSync('mkfifo', [fifo]);
    const hub = await startHub({ HUB_AUDIT: fifo, HUB_AUDIT_MAX_BYTES: 0, HUB_AUDIT_QUEUE: 100 });
    const receiver = await WsPeer.connect(`${hub.url}/connect/messenger`);
    await receiver.subscribe(['R']);
    const sender = await WsPeer.connect(`${hub.url}/connect/messenger`);
    for (let n = 0; n < 5000; n++) sender.send('R', { n });
    await receiver.waitForEvents(5000, 20000);
    const audit = (await getJson(`${hub.httpUrl}/status`)).audit;
    expect(audit.dropped).toBeGreaterThan(4000);
    expect(audit.queued).toBeLessThanOrEqual(100);
    await receiver.close();
    await sender.close();
    // Open the pipe's other end so the hub's pending open can finish and it can close.
    const drain = execFileSync('sh', ['-c', `timeout 5 cat ${fifo} > /dev/null & echo started`]);
    expect(drain.toString()).toContain('started');
    await hub.close();
  });
});
