import { CloseCodes } from '@ces/protocol';
import type { Browser, Page } from 'playwright-core';
import { e2eFixtures } from '../support/fixtures';
import { startHub, TestHub } from '../support/hub-harness';
import { Json } from '../support/http';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';
import { launchChromium } from './support/browser';
import { loadRepeater, StartRepeater } from './support/repeater';

const WAIT = { timeout: 10_000 };

/** An element whose numeric attribute is set and not zero (rates are non-negative). */
const nonZero = (selector: string, attribute: string) =>
  `${selector}[${attribute}]:not([${attribute}="0"])`;

describe('the hub dashboard in a browser', () => {
  let browser: Browser;
  const { hub: start, messenger, connect, track } = e2eFixtures();

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the dashboard; page errors (an exception in its script) fail the test. */
  const open = async (url: string): Promise<{ page: Page; errors: Error[] }> => {
    const context = track(await browser.newContext());
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    return { page, errors };
  };
  const textOf = (page: Page, selector: string) => page.locator(selector).textContent();
  const outgoingLinks = async (hub: TestHub): Promise<Json[]> =>
    ((await (await fetch(`${hub.httpUrl}/interconnect`)).json()) as Json[]).filter(
      (link) => link.direction === 'out',
    );

  it('shows the hub, a messenger as it connects, and the rates as events flow', async () => {
    const hub = await start();
    const { page, errors } = await open(`${hub.httpUrl}/`);
    await page.locator('#hub-id', { hasText: hub.hubId }).waitFor(WAIT);
    await page.locator('#live[data-live="true"]').waitFor(WAIT);
    expect(await textOf(page, '#count-messenger')).toBe('0');

    // A room name is client input: it must show as text, never as markup.
    const odd = '<b>ITB-1101</b>';
    await messenger(hub, ['ITB-1101', odd]);
    const row = page.locator('#peers-body tr[data-kind="messenger"]');
    await row.filter({ hasText: 'ITB-1101' }).waitFor(WAIT);
    expect(await textOf(page, '#count-messenger')).toBe('1');
    await page.locator(`#rooms-body tr[data-room="${odd}"]`).waitFor(WAIT);
    expect(await page.locator('#rooms-body b, #peers-body b').count()).toBe(0);

    // Events flow until the page shows them (a rate is the difference of two documents).
    const sender = await messenger(hub);
    const producer = setInterval(() => {
      for (let n = 0; n < 10; n++) sender.send('ITB-1101', { key: 'n', value: String(n) });
      sender.send('UNHEARD-9', { key: 'nobody', value: 'listens' });
    }, 50);
    try {
      await page.locator(nonZero('#rate-in', 'data-value')).waitFor(WAIT);
      await page.locator(nonZero('#rate-out', 'data-value')).waitFor(WAIT);
      await page.locator(nonZero('#chart polyline.in', 'data-last')).waitFor(WAIT);
      // Top rooms counts rooms no one subscribes to, as well as the others.
      const unheard = page.locator(
        nonZero('#top-rooms-body tr[data-room="UNHEARD-9"]', 'data-rate'),
      );
      await unheard.waitFor(WAIT);
      expect(await unheard.locator('td').last().textContent()).toBe('0');
      await page
        .locator(nonZero('#top-rooms-body tr[data-room="ITB-1101"]', 'data-rate'))
        .waitFor(WAIT);
      expect(
        await page.locator('#top-rooms-body tr[data-room="ITB-1101"] td').last().textContent(),
      ).toBe('1');
    } finally {
      clearInterval(producer);
    }
    expect(errors).toEqual([]);
  });

  // 3,000 sockets to open and close: more than the default time on a busy machine.
  it('shows one page of thousands of peers, searches them, and disconnects one', async () => {
    const hub = await start({ HUB_MAX_CONNECTIONS_PER_ADDRESS: 5000 });
    const peers: WsPeer[] = [];
    for (let batch = 0; batch < 30; batch++) {
      const names = Array.from({ length: 100 }, (_, n) => `panel-${batch * 100 + n}`);
      peers.push(
        ...(await Promise.all(
          names.map((name) => connect(`${hub.url}/connect/messenger?name=${name}`)),
        )),
      );
    }
    const { page, errors } = await open(`${hub.httpUrl}/`);
    await page.locator('#count-messenger', { hasText: '3000' }).waitFor(WAIT);
    await page.locator('#peer-page', { hasText: '1–50 of 3,000' }).waitFor(WAIT);
    expect(await page.locator('#peers-body tr').count()).toBe(50);
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThan(5000);

    await page.click('#peer-next');
    await page.locator('#peer-page', { hasText: '51–100 of 3,000' }).waitFor(WAIT);
    await page.fill('#peer-search', 'PANEL-2999');
    await page.locator('#peer-page', { hasText: '1–1 of 1 matching (3,000 peers)' }).waitFor(WAIT);
    const row = page.locator('#peers-body tr[data-peer]');
    await row.filter({ hasText: 'panel-2999' }).waitFor(WAIT);
    expect(await row.count()).toBe(1);

    const id = (await row.getAttribute('data-peer'))!;
    const target = peers.find((peer) => peer.socket.url.endsWith('name=panel-2999'))!;
    await row.locator('button.disconnect').click();
    await page.locator('#peer-message', { hasText: `Disconnected ${id}` }).waitFor(WAIT);
    expect(await target.waitForClose()).toBe(CloseCodes.disconnectedByOperator);
    await page.locator('#peers-body .empty', { hasText: 'no peer matches' }).waitFor(WAIT);
    await page.locator('#count-messenger', { hasText: '2999' }).waitFor(WAIT);
    expect(errors).toEqual([]);
  }, 60_000);

  it('keeps the rates of the last 15 minutes on the hub: a page opened later shows them', async () => {
    const hub = await start();
    const sender = await messenger(hub);
    const history = async () =>
      (await (await fetch(`${hub.httpUrl}/dashboard/history`)).json()) as Json;
    const producer = setInterval(() => {
      for (let n = 0; n < 10; n++) sender.send('ITB-1101', { key: 'n', value: String(n) });
    }, 50);
    try {
      // A sample is taken every 5 s: the first one with events comes within about 10 s.
      await waitFor(
        async () => (await history()).samples.some((sample: Json) => sample.in > 1),
        'a sample of the history with events in it',
        15_000,
      );
    } finally {
      clearInterval(producer);
    }
    const kept = await history();
    expect(kept).toMatchObject({ everyMs: 5000, windowSeconds: 900 });
    expect(Object.keys(kept.samples[0]).sort()).toEqual(['dropped', 'in', 'out', 'rejected', 't']);

    const { page, errors } = await open(`${hub.httpUrl}/`);
    await page.locator('#hub-id', { hasText: hub.hubId }).waitFor(WAIT);
    // No event flows now: a chart whose scale is over 1/s draws the hub's history.
    const drawsHistory = `(() => {
      const chart = document.querySelector('#chart svg');
      return chart !== null && Number(chart.getAttribute('data-samples')) >= ${kept.samples.length} &&
        Number(chart.getAttribute('data-max')) > 1;
    })()`;
    // Polled with evaluate: waitForFunction evaluates a string in the page, which its CSP forbids.
    await waitFor(
      async () => (await page.evaluate(drawsHistory)) === true,
      'the chart to draw the history',
      WAIT.timeout,
    );
    expect(await textOf(page, 'section:first-child h2')).toBe('Events per second, last 15 minutes');
    expect(errors).toEqual([]);
  }, 60_000);

  it('adds and removes an interconnect through the page', async () => {
    const [a, b] = [await start(), await start()];
    const { page, errors } = await open(`${a.httpUrl}/`);
    await page.locator('#hub-id', { hasText: a.hubId }).waitFor(WAIT);

    await page.fill('#link-address', 'http://not-a-hub.example');
    await page.click('#link-add');
    await page.locator('#link-message.error', { hasText: 'HTTP 400' }).waitFor(WAIT);

    const address = `127.0.0.1:${b.port}`;
    await page.fill('#link-address', address);
    await page.click('#link-add');
    await page.locator('#link-message', { hasText: `Linked to ${address}: open` }).waitFor(WAIT);
    const row = page.locator(`#links-body tr[data-address="${address}"]`);
    await page
      .locator(
        `#links-body tr[data-address="${address}"][data-state="open"][data-remote-hub="${b.hubId}"]`,
      )
      .waitFor(WAIT);
    expect(await outgoingLinks(a)).toEqual([
      expect.objectContaining({ address, state: 'open', remoteHubId: b.hubId }),
    ]);
    await page.locator('#count-hub', { hasText: '1' }).waitFor(WAIT);

    await row.locator('button.remove').click();
    await page
      .locator('#link-message', { hasText: `Removed the link to ${address}` })
      .waitFor(WAIT);
    await row.waitFor({ ...WAIT, state: 'detached' });
    expect(await outgoingLinks(a)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('passes the ?token= of its URL to the stream and to the REST API', async () => {
    const auth = { HUB_AUTH_TOKENS: 'client-secret', HUB_LINK_TOKEN: 'link-secret' };
    const [a, b] = [await start(auth), await start(auth)];

    const anonymous = await open(`${a.httpUrl}/`);
    await anonymous.page.locator('#banner.shown', { hasText: 'HTTP 401' }).waitFor(WAIT);
    expect(await textOf(anonymous.page, '#hub-id')).toBe('…');

    // A client token may watch, but not manage links.
    const client = await open(`${a.httpUrl}/?token=client-secret`);
    await client.page.locator('#hub-id', { hasText: a.hubId }).waitFor(WAIT);
    await client.page.fill('#link-address', `127.0.0.1:${b.port}`);
    await client.page.click('#link-add');
    await client.page.locator('#link-message.error', { hasText: 'HTTP 403' }).waitFor(WAIT);

    const operator = await open(`${a.httpUrl}/?token=link-secret`);
    await operator.page.locator('#hub-id', { hasText: a.hubId }).waitFor(WAIT);
    await operator.page.fill('#link-address', `127.0.0.1:${b.port}`);
    await operator.page.click('#link-add');
    await operator.page
      .locator(`#links-body tr[data-state="open"][data-remote-hub="${b.hubId}"]`)
      .waitFor(WAIT);
    for (const { errors } of [anonymous, client, operator]) expect(errors).toEqual([]);
  });
});

describe('the repeater dashboard in a browser', () => {
  let browser: Browser;
  let startRepeater: StartRepeater;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    ({ startRepeater } = await loadRepeater());
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('shows the uplink, an outside connection as it opens, and the rate as events flow', async () => {
    const hub = await startHub();
    closers.push(() => hub.close());
    const repeater = await startRepeater({
      REPEATER_HOST: '127.0.0.1',
      REPEATER_PORT: 0,
      REPEATER_HUB_URL: hub.url,
      LOG_LEVEL: 'error',
    });
    closers.push(() => repeater.app.close());
    const httpUrl = `http://127.0.0.1:${repeater.port}`;
    const context = await browser.newContext();
    closers.push(() => context.close());
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    expect((await page.goto(`${httpUrl}/`))?.status()).toBe(200);

    await page.locator('#uplink-state[data-state="open"]').waitFor(WAIT);
    const id = ((await (await fetch(`${httpUrl}/status`)).json()) as Json).repeaterId as string;
    await page.locator('#repeater-id', { hasText: id }).waitFor(WAIT);

    const outside = await WsPeer.connect(
      `ws://127.0.0.1:${repeater.port}/connect/ITB-1101/panel-1`,
    );
    closers.push(() => outside.close());
    await page
      .locator('#connections-body tr[data-connection="panel-1"]', { hasText: 'ITB-1101' })
      .waitFor(WAIT);

    const event = { key: 'power', value: 'on', 'affected-room': { roomID: 'ITB-1101' } };
    const producer = setInterval(() => outside.send('ITB-1101', event), 20);
    try {
      await page.locator(nonZero('#rate-in', 'data-value')).waitFor(WAIT);
    } finally {
      clearInterval(producer);
    }
    expect(errors).toEqual([]);
  });
});
