import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { encodeFrame } from '@ces/protocol';
import { e2eFixtures } from '../support/fixtures';
import { postJson } from '../support/http';
import type { TestHub } from '../support/hub-harness';
import { launchChromium } from './support/browser';
import { loadRepeater, StartRepeater } from './support/repeater';

const WAIT = { timeout: 15_000 };
const VIEWPORTS = [
  { name: 'wide', width: 1400, height: 900 },
  { name: 'narrow', width: 420, height: 900 },
];
/** Room names and URLs as long as a real deployment's get, with no space to wrap at. */
const LONG_ROOM = `BLDG-${'EXTREMELY-LONG-ROOM-NAME-'.repeat(6)}1101`;
const LONG_PATH = `/hooks/${'a-very-long-path-segment-'.repeat(4)}end?source=ces&token=redacted`;

/**
 * Every element of every card, as far as it is visible (clipped by the overflow of the
 * elements around it), must lie inside its card; and the page must not scroll sideways.
 * Returns what does not, described.
 */
const OVERFLOWS = `(() => {
  const faults = [];
  const describe = (node) => node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') +
    (node.className && typeof node.className === 'string' ? '.' + node.className.trim().replace(/\\s+/g, '.') : '');
  for (const card of document.querySelectorAll('main > section')) {
    const box = card.getBoundingClientRect();
    for (const node of card.querySelectorAll('*')) {
      if (node.closest('svg') && node.tagName.toLowerCase() !== 'svg') continue;
      let { left, right, width, height } = node.getBoundingClientRect();
      if (width === 0 && height === 0) continue;
      for (let up = node.parentElement; up && up !== card; up = up.parentElement) {
        if (getComputedStyle(up).overflowX === 'visible') continue;
        const clip = up.getBoundingClientRect();
        left = Math.max(left, clip.left);
        right = Math.min(right, clip.right);
      }
      if (right <= left) continue;
      if (left < box.left - 0.5 || right > box.right + 0.5)
        faults.push(describe(node) + ' in ' + (card.querySelector('h2') || card).textContent +
          ': ' + Math.round(left - box.left) + '..' + Math.round(right - box.left) + ' of ' + Math.round(box.width));
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth)
    faults.push('the page is ' + document.documentElement.scrollWidth + 'px wide in a ' + window.innerWidth + 'px window');
  return faults;
})()`;

/** Addresses and URLs are on one line (never broken inside a word), the whole of each in its title. */
const CLIPPED_CELLS = `[...document.querySelectorAll('td.clip')].map((td) => ({
  title: td.title,
  text: td.textContent,
  oneLine: td.firstElementChild.getClientRects().length === 1,
}))`;

describe('the dashboards’ layout at a wide and a narrow window', () => {
  let browser: Browser;
  let startRepeater: StartRepeater;
  const shots = mkdtempSync(join(tmpdir(), 'ces-dashboard-layout-'));
  const { hub: start, connect, track } = e2eFixtures();

  beforeAll(async () => {
    browser = await launchChromium();
    ({ startRepeater } = await loadRepeater());
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens `url` at each viewport, waits for `ready`, checks the geometry and saves a screenshot. */
  const checkLayout = async (url: string, app: string, ready: (page: Page) => Promise<void>) => {
    for (const viewport of VIEWPORTS) {
      const context = track(await browser.newContext({ viewport: viewport }));
      const page = await context.newPage();
      const errors: Error[] = [];
      page.on('pageerror', (error) => errors.push(error));
      expect((await page.goto(url))?.status()).toBe(200);
      await ready(page);
      await page.screenshot({ path: join(shots, `${app}-${viewport.name}.png`), fullPage: true });
      expect({ viewport: viewport.name, faults: await page.evaluate(OVERFLOWS) }).toEqual({
        viewport: viewport.name,
        faults: [],
      });
      const cells = (await page.evaluate(CLIPPED_CELLS)) as {
        title: string;
        text: string;
        oneLine: boolean;
      }[];
      expect(cells.length).toBeGreaterThan(0);
      for (const cell of cells)
        expect(cell).toEqual({ title: cell.text, text: cell.text, oneLine: true });
      expect(errors).toEqual([]);
    }
  };

  const link = (hub: TestHub, address: string) =>
    fetch(`${hub.httpUrl}/interconnect/${encodeURIComponent(address)}`, { method: 'POST' });

  it('keeps every part of the hub dashboard inside its card', async () => {
    const [hub, other] = [await start(), await start()];
    expect((await link(hub, `127.0.0.1:${other.port}`)).status).toBe(201);
    for (const address of [
      '127.0.0.1:1',
      `ws://hub-with-a-long-name-for-the-layout-test-${'x'.repeat(40)}.invalid:7100/connect/hub`,
    ])
      expect((await link(hub, address)).status).toBe(201);
    const rooms = [LONG_ROOM, 'ITB-1101', ...Array.from({ length: 30 }, (_, n) => `JFSB-${n}`)];
    const subscriber = await connect(`${hub.url}/connect/messenger?name=${'display-'.repeat(7)}`);
    await subscriber.subscribe(rooms);
    const publisher = await connect(`${hub.url}/connect/messenger?name=publisher`);
    const producer = setInterval(() => {
      publisher.sendRaw(encodeFrame(LONG_ROOM, { key: 'power', value: 'on' }));
      publisher.sendRaw(encodeFrame(`${LONG_ROOM}-UNHEARD`, { key: 'power', value: 'on' }));
    }, 50);
    try {
      await checkLayout(`${hub.httpUrl}/`, 'hub', async (page) => {
        await page.locator('#links-body tr[data-state]').nth(2).waitFor(WAIT);
        await page.locator('#links-body tr[data-state="open"]').waitFor(WAIT);
        await page.locator(`#top-rooms-body tr[data-room="${LONG_ROOM}-UNHEARD"]`).waitFor(WAIT);
        await page.locator('#peers-body tr[data-kind="hub"]').waitFor(WAIT);
        await page.locator('#peers-body tr[data-kind="messenger"]').nth(1).waitFor(WAIT);
      });
    } finally {
      clearInterval(producer);
    }
  });

  it('keeps every part of the repeater dashboard inside its card, and shows a failing target’s last error', async () => {
    const hub = await start();
    const targets = [
      `http://127.0.0.1:1${LONG_PATH}`,
      `https://127.0.0.1:2${LONG_PATH}`,
      `ws://127.0.0.1:3/${'socket-'.repeat(12)}`,
    ];
    const repeater = await startRepeater({
      REPEATER_HOST: '127.0.0.1',
      REPEATER_PORT: 0,
      REPEATER_HUB_URL: hub.url,
      REPEATER_SEND_MAP: JSON.stringify({ [LONG_ROOM]: targets, 'ITB-1101': [targets[0]] }),
      LOG_LEVEL: 'fatal',
    });
    track({ close: () => repeater.app.close() });
    const httpUrl = `http://127.0.0.1:${repeater.port}`;
    await connect(
      `ws://127.0.0.1:${repeater.port}/connect/${encodeURIComponent(LONG_ROOM)}/${'panel-'.repeat(10)}`,
    );
    const event = { key: 'power', value: 'on', 'affected-room': { roomID: LONG_ROOM } };
    const producer = setInterval(() => void postJson(`${hub.httpUrl}/event`, event), 200);
    try {
      await checkLayout(`${httpUrl}/`, 'repeater', async (page) => {
        await page.locator('#uplink-state[data-state="open"]').waitFor(WAIT);
        for (const target of targets)
          await page
            .locator(`#targets-body tr[data-target="${target}"][data-failing="true"]`)
            .waitFor(WAIT);
        await page.locator('#connections-body tr[data-connection]').waitFor(WAIT);
      });
    } finally {
      clearInterval(producer);
    }
    const status = (await (await fetch(`${httpUrl}/status`)).json()) as {
      targets: { address: string; lastError?: string; lastErrorAt?: string }[];
    };
    for (const target of status.targets) {
      expect(target.lastError).toEqual(expect.any(String));
      expect(Date.now() - Date.parse(target.lastErrorAt!)).toBeLessThan(60_000);
    }
  });
});
