import { AppProcess, builtApp, freePort, runApp } from '../support/built-app';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const SECRET = 'Sup3r/Secret+Token=';

/** The secret percent-encoded byte by byte: the same token to a URL decoder, other bytes in a log. */
const everyByte = [...Buffer.from(SECRET)]
  .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
  .join('');

describe('a repeater process', () => {
  let hub: TestHub;
  let repeater: AppProcess;
  let httpUrl: string;
  const auth = { authorization: `Bearer ${SECRET}` };

  beforeAll(async () => {
    hub = await startHub();
    const port = await freePort();
    httpUrl = `http://127.0.0.1:${port}`;
    repeater = runApp(builtApp('repeater'), {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      REPEATER_HOST: '127.0.0.1',
      REPEATER_PORT: String(port),
      REPEATER_HUB_URL: hub.url,
      REPEATER_AUTH_TOKENS: SECRET,
      REPEATER_IDLE_TIMEOUT_MS: '600000',
      REPEATER_PING_INTERVAL_MS: '600000',
      REPEATER_SLOW_CONSUMER_MS: '600000',
    });
    await waitFor(
      () =>
        fetch(`${httpUrl}/health`).then(
          (response) => response.ok,
          () => false,
        ),
      'the repeater to serve',
      20000,
    );
  });

  afterAll(async () => {
    repeater.child.kill('SIGTERM');
    await repeater.exited;
    await hub.close();
  });

  it('never writes the token to its log, however the parameter or its value is encoded', async () => {
    const names = ['token', 'TOKEN', '%74oken', '%74%6F%6B%65%6E', 'T%4Fken'];
    const values = [encodeURIComponent(SECRET), everyByte];
    for (const name of names) {
      for (const value of values) {
        const response = await fetch(`${httpUrl}/status?probe=${name}&${name}=${value}`);
        expect(response.status).toBe(200);
      }
    }
    const wrong = await fetch(`${httpUrl}/status?%74oken=${encodeURIComponent(`${SECRET}x`)}`);
    expect(wrong.status).toBe(401);
    await waitFor(
      () => (repeater.output().match(/probe=/g) ?? []).length >= names.length * values.length,
      'a log line per request',
    );
    const log = repeater.output();
    for (const form of [SECRET, encodeURIComponent(SECRET), everyByte, 'Sup3r']) {
      expect(log).not.toContain(form);
    }
    expect(log).toContain('%74oken=[redacted]');
  });

  it('stays within its byte budget for an outside socket that never reads', async () => {
    const rss = async () => {
      const metrics = await (await fetch(`${httpUrl}/metrics`, { headers: auth })).text();
      return Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)![1]);
    };
    const status = async () =>
      (await (await fetch(`${httpUrl}/status`, { headers: auth })).json()) as {
        totals: { events: Record<string, number>; dropped: Record<string, number> };
      };
    const sender = await WsPeer.connect(`${hub.url}/connect/messenger`);
    const event = { key: 'fill', value: 'x'.repeat(4096) };
    /** 25,000 events of 4 KiB (100 MiB) through the repeater. */
    const pump = async () => {
      const egress = (await status()).totals.events.egress ?? 0;
      for (let batch = 0; batch < 100; batch++) {
        for (let i = 0; i < 250; i++) sender.send('R', event);
        await sender.roundTrip();
      }
      await waitFor(
        async () => (await status()).totals.events.egress >= egress + 20000,
        'the events',
        30000,
      );
    };
    let stalled: WsPeer | undefined;
    try {
      // The same traffic first with no outside socket: what the rest of the process holds at
      // steady state (the uplink's buffers, the allocator) is in the baseline.
      await pump();
      const before = await rss();
      stalled = await WsPeer.connect(`${httpUrl.replace('http', 'ws')}/connect/R/stalled`, {
        headers: auth,
      });
      stalled.socket.pause();
      await pump();
      const growth = (await rss()) - before;
      expect((await status()).totals.dropped['slow-consumer']).toBeGreaterThan(15000);
      // The socket's budget is 1 MiB (REPEATER_SEND_HIGH_WATER_BYTES): without it, the
      // 100 MiB would all wait in the repeater.
      expect(growth).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await sender.close();
      stalled?.socket.terminate();
    }
  });
});
