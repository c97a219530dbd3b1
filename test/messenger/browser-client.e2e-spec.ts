import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Browser, Page } from 'playwright-core';
import { MessengerClient } from '@ces/messenger';
import { launchChromium } from '../ops/support/browser';
import { getJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const ROOT = join(__dirname, '../..');
// The example's server, as `npm run example:browser` starts it.
const { roomViewerServer } = require(join(ROOT, 'examples/browser-room-viewer/serve.js')) as {
  roomViewerServer(bundlePath: string): Server;
};

type BrowserMessenger = MessengerClient & { stats(): { reconnects: number } };
// The page's globals, as the functions evaluated in it see them.
declare const window: { messenger: BrowserMessenger };
declare const document: {
  querySelectorAll(selector: string): { length: number };
  getElementById(id: string): { textContent: string | null } | null;
};

/**
 * The browser messenger in headless Chromium, on the example page (examples/browser-room-viewer),
 * against a real hub: subscribe, receive, publish, and a hub restart under it.
 */
describe('the browser messenger in a web page', () => {
  let bundleDir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let hub: TestHub | undefined;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    bundleDir = await mkdtemp(join(tmpdir(), 'ces-browser-'));
    await promisify(execFile)('node', [join(ROOT, 'scripts/build-browser-client.js'), bundleDir], {
      cwd: ROOT,
      timeout: 120_000,
    });
    server = roomViewerServer(join(bundleDir, 'messenger.mjs'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await rm(bundleDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await hub?.close();
  });

  it('ships as one ES module with no Node-only import', async () => {
    const bundle = await readFile(join(bundleDir, 'messenger.mjs'), 'utf8');
    expect(bundle).toMatch(/export\s*\{[^}]*as MessengerClient/);
    expect(bundle).not.toMatch(
      /require\(|from\s*["']node:|import\(["'](ws|node:)|\bBuffer\b|process\./,
    );
  });

  const pageEvents = () =>
    page.$$eval('#events li', (items) => items.map((item) => item.textContent ?? ''));
  const pageState = () => page.evaluate(() => window.messenger.state);

  it('subscribes, receives, publishes, and rides out a hub restart: resubscribed, what it sent meanwhile delivered once, in order', async () => {
    hub = await startHub();
    const port = hub.port;
    page = await browser.newPage();
    closers.push(() => page.close());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const { port: pagePort } = server.address() as AddressInfo;
    // The page redials after 1 s, then 2 s: the Node side (50 ms) is back well before it.
    await page.goto(`http://127.0.0.1:${pagePort}/?hub=127.0.0.1:${port}&room=R&reconnectMs=1000`);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'open');
    await waitFor(
      async () => (await getJson(`${hub!.httpUrl}/status`)).rooms.R?.subscribers === 1,
      'the page’s subscription',
    );

    // Receive.
    const outside = await WsPeer.connect(`${hub.url}/connect/messenger`);
    closers.push(() => outside.close());
    outside.send('R', { n: 1 });
    await page.waitForFunction(() => document.querySelectorAll('#events li').length === 1);
    expect(await pageEvents()).toEqual(['R {"n":1}']);

    // Publish: through the page's form, and through the client.
    const listener = new MessengerClient<{ n?: number; key?: string }>({
      hubUrl: hub.url,
      rooms: ['R'],
      reconnect: { initialDelayMs: 50, maxDelayMs: 100, jitter: 0.1 },
    });
    closers.push(() => listener.close());
    const heard: unknown[] = [];
    listener.on('event', (_room, event) => heard.push(event));
    await listener.connect();
    await waitFor(
      async () => (await getJson(`${hub!.httpUrl}/status`)).rooms.R?.subscribers === 2,
      'the listener’s subscription',
    );
    await page.click('#publish button');
    await waitFor(() => heard.length === 1, 'the page’s event');
    expect(heard).toEqual([{ key: 'power', value: 'on' }]);

    // The hub goes away; the page notices, and buffers what it sends.
    await outside.close();
    await hub.close();
    hub = undefined;
    await page.waitForFunction(() => window.messenger.state === 'reconnecting');
    await page.evaluate(() => {
      for (let n = 10; n < 15; n++) window.messenger.send('R', { n });
    });
    expect(await page.evaluate(() => window.messenger.stats().buffered)).toBe(5);
    // Restart just after a failed redial of the page: its next one is 2 s away.
    const redials = await page.evaluate(() => window.messenger.stats().reconnects);
    await page.waitForFunction((before) => window.messenger.stats().reconnects > before, redials, {
      timeout: 10_000,
    });
    hub = await startHub({ HUB_PORT: port });
    await waitFor(() => listener.state === 'open', 'the listener to be back', 10_000);
    await waitFor(
      async () => (await getJson(`${hub!.httpUrl}/status`)).rooms.R?.subscribers === 1,
      'the listener’s subscription again',
    );

    // The page is back, subscribed again, and its buffered events arrive once, in order.
    await page.waitForFunction(() => window.messenger.state === 'open', undefined, {
      timeout: 15_000,
    });
    await waitFor(() => heard.length === 6, 'the buffered events', 10_000);
    await waitFor(
      async () => (await getJson(`${hub!.httpUrl}/status`)).rooms.R?.subscribers === 2,
      'the page’s subscription again',
    );
    listener.send('R', { n: 99 });
    await page.waitForFunction(() => document.querySelectorAll('#events li').length === 2);
    // One more round trip: anything sent twice would be here by now.
    await page.evaluate(() => window.messenger.send('R', { n: 100 }));
    await waitFor(() => heard.length === 7, 'the page’s last event');
    expect(heard.slice(1)).toEqual([
      { n: 10 },
      { n: 11 },
      { n: 12 },
      { n: 13 },
      { n: 14 },
      { n: 100 },
    ]);
    expect(await pageEvents()).toEqual(['R {"n":1}', 'R {"n":99}']);
    expect(await page.evaluate(() => window.messenger.stats())).toMatchObject({
      buffered: 0,
      dropped: 0,
    });
    expect(await pageState()).toBe('open');
    expect(errors).toEqual([]);
  }, 90_000);
});
