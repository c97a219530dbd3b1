import { SignJWT } from 'jose';
import { e2eFixtures } from '../support/fixtures';
import { getJson, postJson } from '../support/http';
import { startRepeater } from '../support/repeater-harness';

const SECRET = 'a-long-enough-hs256-secret-for-tests-0123456789';
const jwt = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('test')
    .sign(new TextEncoder().encode(SECRET));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const v2 = { key: 'power', value: 'on', 'affected-room': { roomID: 'ITB-1101' } };

/** The status of a GET with these headers. */
const statusOf = async (url: string, headers: Record<string, string> = {}) =>
  (await fetch(url, { headers })).status;

/** A POST of `body` as a cross-site HTML form would send it. */
const postForm = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'key=power&value=on&affected-room=ITB-1101',
  });

const HUB_OPERATOR_ROUTES = [
  '/status',
  '/metrics',
  '/interconnect',
  '/peers',
  '/dashboard/stream',
  '/dashboard/history',
];
const REPEATER_OPERATOR_ROUTES = ['/status', '/metrics', '/dashboard/stream', '/dashboard/history'];

describe('REST access on the hub', () => {
  const { hub: start } = e2eFixtures();

  it('refuses operator routes to a valid non-operator JWT with 403, and opens them to an operator JWT', async () => {
    const hub = await start({ HUB_JWT_SECRET: SECRET });
    const client = bearer(await jwt({ kinds: ['messenger'] }));
    const operator = bearer(await jwt({ kinds: ['messenger'], operator: true }));
    for (const route of HUB_OPERATOR_ROUTES) {
      expect({ route, status: await statusOf(`${hub.httpUrl}${route}`) }).toEqual({
        route,
        status: 401,
      });
      const refused = await fetch(`${hub.httpUrl}${route}`, { headers: client });
      expect({ route, status: refused.status }).toEqual({ route, status: 403 });
      expect(await refused.json()).toMatchObject({
        statusCode: 403,
        message: 'this endpoint needs an operator token',
      });
    }
    for (const route of ['/status', '/metrics', '/interconnect'])
      expect({ route, status: await statusOf(`${hub.httpUrl}${route}`, operator) }).toEqual({
        route,
        status: 200,
      });
    // The client route takes the client token; the public ones need none.
    expect((await postJson(`${hub.httpUrl}/event`, v2, client)).status).toBe(202);
    expect(await statusOf(`${hub.httpUrl}/health`)).toBe(200);
    expect(await statusOf(`${hub.httpUrl}/docs-json`)).toBe(200);
    const totals = (await getJson(`${hub.httpUrl}/status`, operator)).totals;
    expect(totals.rejected).toMatchObject({
      'http-unauthenticated': HUB_OPERATOR_ROUTES.length,
      'http-forbidden': HUB_OPERATOR_ROUTES.length,
    });
  });

  it('answers a form-encoded POST /event with 415, and counts it', async () => {
    const hub = await start();
    const refused = await postForm(`${hub.httpUrl}/event`);
    expect(refused.status).toBe(415);
    expect(await refused.json()).toMatchObject({
      statusCode: 415,
      message: 'the request body must be application/json',
    });
    expect((await postForm(`${hub.httpUrl}/interconnect/127.0.0.1%3A1`)).status).toBe(415);
    expect((await postJson(`${hub.httpUrl}/event`, v2)).status).toBe(202);
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.totals.rejected['http-unsupported-media-type']).toBe(2);
  });

  it('refuses a change from a page of another origin with 403, and takes one from its own', async () => {
    const hub = await start();
    const post = (origin: string) =>
      fetch(`${hub.httpUrl}/event`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify(v2),
      });
    expect((await post('https://evil.example.com')).status).toBe(403);
    expect((await post(hub.httpUrl)).status).toBe(202);
    const linkFromElsewhere = await fetch(`${hub.httpUrl}/interconnect/127.0.0.1%3A1`, {
      method: 'DELETE',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(linkFromElsewhere.status).toBe(403);
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.totals.rejected['http-cross-origin']).toBe(2);
  });

  it('leaves every route open when authentication is off', async () => {
    const hub = await start();
    for (const route of ['/status', '/metrics', '/interconnect'])
      expect({ route, status: await statusOf(`${hub.httpUrl}${route}`) }).toEqual({
        route,
        status: 200,
      });
  });
});

describe('REST access on the repeater', () => {
  const { hub: startHub, track } = e2eFixtures();

  it('refuses operator routes to a valid non-operator JWT with 403; /send takes it', async () => {
    const hub = await startHub();
    const repeater = track(await startRepeater(hub.url, { REPEATER_JWT_SECRET: SECRET }));
    const client = bearer(await jwt({ kinds: ['repeater'] }));
    const operator = bearer(await jwt({ operator: true }));
    for (const route of REPEATER_OPERATOR_ROUTES) {
      expect({ route, status: await statusOf(`${repeater.httpUrl}${route}`) }).toEqual({
        route,
        status: 401,
      });
      expect({ route, status: await statusOf(`${repeater.httpUrl}${route}`, client) }).toEqual({
        route,
        status: 403,
      });
    }
    for (const route of ['/status', '/metrics'])
      expect({ route, status: await statusOf(`${repeater.httpUrl}${route}`, operator) }).toEqual({
        route,
        status: 200,
      });
    expect((await postJson(`${repeater.httpUrl}/send`, v2, client)).status).toBe(202);
  });

  it('answers a form-encoded POST /send with 415', async () => {
    const hub = await startHub();
    const repeater = track(await startRepeater(hub.url));
    const refused = await postForm(`${repeater.httpUrl}/send`);
    expect(refused.status).toBe(415);
    expect(await refused.json()).toMatchObject({ statusCode: 415 });
    expect((await postForm(`${repeater.httpUrl}/event`)).status).toBe(415);
    expect((await postJson(`${repeater.httpUrl}/send`, v2)).status).toBe(202);
    const status = await getJson(`${repeater.httpUrl}/status`);
    expect(status.totals.rejected['http-unsupported-media-type']).toBe(2);
  });
});
