import { createServer, Server } from 'node:net';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { getJson, Json, postJson } from '../support/http';
import { e2eFixtures } from '../support/fixtures';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

const SECRET = 'a-long-enough-hs256-secret-for-tests-0123456789';
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

function jwt(
  claims: Record<string, unknown>,
  options: { expiresIn?: string; notBefore?: string } = {},
) {
  let builder = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setSubject('test');
  if (options.expiresIn) builder = builder.setExpirationTime(options.expiresIn);
  if (options.notBefore) builder = builder.setNotBefore(options.notBefore);
  return builder.sign(new TextEncoder().encode(SECRET));
}

describe('authentication', () => {
  const { hub: start, connect } = e2eFixtures();

  describe('with a shared secret', () => {
    it('refuses a missing or wrong token with 401 before the upgrade, and accepts the right one', async () => {
      const hub = await start({ HUB_AUTH_TOKENS: 'alpha,beta' });
      const url = `${hub.url}/connect/messenger`;
      await expect(WsPeer.connect(url)).rejects.toMatchObject({ statusCode: 401 });
      await expect(WsPeer.connect(url, bearer('gamma'))).rejects.toMatchObject({ statusCode: 401 });
      await connect(url, bearer('beta'));
      await connect(`${url}?token=alpha`);
      const status = await getJson(`${hub.httpUrl}/status?token=alpha`);
      expect(status.peers.messengers).toHaveLength(2);
      expect(status.totals.rejected['upgrade-unauthenticated']).toBe(2);
    });

    it('guards the REST endpoints but leaves /health open', async () => {
      const hub = await start({ HUB_AUTH_TOKENS: 'alpha' });
      expect((await fetch(`${hub.httpUrl}/status`)).status).toBe(401);
      expect((await fetch(`${hub.httpUrl}/status`, bearer('alpha'))).status).toBe(200);
      expect((await fetch(`${hub.httpUrl}/health`)).status).toBe(200);
      const event = { key: 'k', 'affected-room': { roomID: 'R' } };
      expect((await postJson(`${hub.httpUrl}/event`, event)).status).toBe(401);
      expect((await postJson(`${hub.httpUrl}/event`, event, bearer('alpha').headers)).status).toBe(
        202,
      );
    });

    it('does not let a messenger token open a hub link or manage links', async () => {
      const hub = await start({ HUB_AUTH_TOKENS: 'alpha', HUB_LINK_TOKEN: 'link-secret' });
      await expect(WsPeer.connect(`${hub.url}/connect/hub`, bearer('alpha'))).rejects.toMatchObject(
        { statusCode: 403 },
      );
      const response = await fetch(`${hub.httpUrl}/interconnect/127.0.0.1%3A1`, {
        method: 'POST',
        ...bearer('alpha'),
      });
      expect(response.status).toBe(403);
    });
  });

  describe('with JWTs', () => {
    it('honours exp and nbf', async () => {
      const hub = await start({ HUB_JWT_SECRET: SECRET });
      const url = `${hub.url}/connect/messenger`;
      const expired = await jwt({}, { expiresIn: '-1m' });
      const notYet = await jwt({}, { notBefore: '10m' });
      await expect(WsPeer.connect(url, bearer(expired))).rejects.toMatchObject({ statusCode: 401 });
      await expect(WsPeer.connect(url, bearer(notYet))).rejects.toMatchObject({ statusCode: 401 });
      await connect(url, bearer(await jwt({}, { expiresIn: '5m' })));
    });

    it('refuses a kind the token does not grant with 403', async () => {
      const hub = await start({ HUB_JWT_SECRET: SECRET });
      const messengerOnly = await jwt({ kinds: ['messenger'] });
      await expect(
        WsPeer.connect(`${hub.url}/connect/repeater`, bearer(messengerOnly)),
      ).rejects.toMatchObject({
        statusCode: 403,
      });
      await connect(`${hub.url}/connect/repeater`, bearer(await jwt({ kinds: ['repeater'] })));
    });

    it('enforces the rooms a token may subscribe to and publish into, per frame', async () => {
      const hub = await start({ HUB_JWT_SECRET: SECRET });
      const limited = await jwt({
        kinds: ['messenger'],
        rooms: { subscribe: ['ITB-*'], publish: ['ITB-1101'] },
      });
      const open = await jwt({ kinds: ['messenger'] });
      const restricted = await connect(`${hub.url}/connect/messenger`, bearer(limited));
      const other = await connect(`${hub.url}/connect/messenger`, bearer(open));
      await other.subscribe(['*']);

      await restricted.subscribe(['JFSB-1', 'ITB-1']);
      expect(JSON.parse(restricted.texts[0])).toMatchObject({
        error: 'your token does not grant these rooms',
      });
      await restricted.subscribe(['ITB-1']);
      restricted.send('JFSB-1', { forbidden: true });
      restricted.send('ITB-1101', { allowed: true });
      other.send('JFSB-1', { toRestricted: 'no' });
      other.send('ITB-1', { toRestricted: 'yes' });

      expect((await other.waitForEvents(1)).map((e) => e.event)).toEqual([{ allowed: true }]);
      expect((await restricted.waitForEvents(1)).map((e) => e.event)).toEqual([
        { toRestricted: 'yes' },
      ]);
      await waitFor(() => restricted.texts.length === 2, 'the publish refusal');
      expect(JSON.parse(restricted.texts[1]).error).toContain('JFSB-1');
      const status = await getJson(`${hub.httpUrl}/status`);
      expect(status).toMatchObject({ statusCode: 401 });
      const operator = await jwt({ operator: true });
      const totals = (await getJson(`${hub.httpUrl}/status?token=${operator}`)).totals;
      expect(totals.rejected).toMatchObject({ 'subscribe-forbidden': 1, 'publish-forbidden': 1 });
    });

    it('verifies RS256 tokens with a public key', async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const hub = await start({ HUB_JWT_PUBLIC_KEY: await exportSPKI(publicKey) });
      const token = await new SignJWT({ kinds: ['messenger'] })
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);
      await connect(`${hub.url}/connect/messenger`, bearer(token));
      await expect(
        WsPeer.connect(`${hub.url}/connect/messenger`, bearer(await jwt({}))),
      ).rejects.toMatchObject({
        statusCode: 401,
      });
    });
  });

  describe('hub links', () => {
    it('link with the shared link token, and not without it', async () => {
      const a = await start({ HUB_LINK_TOKEN: 'link-secret', HUB_LINK_BACKOFF_INITIAL_MS: 50 });
      const b = await start({ HUB_LINK_TOKEN: 'link-secret' });
      const stranger = await start({ HUB_LINK_TOKEN: 'other-secret' });
      const ok: Json = await (
        await fetch(`${a.httpUrl}/interconnect/127.0.0.1%3A${b.port}`, {
          method: 'POST',
          ...bearer('link-secret'),
        })
      ).json();
      expect(ok.state).toBe('open');
      const refused: Json = await (
        await fetch(`${stranger.httpUrl}/interconnect/127.0.0.1%3A${b.port}`, {
          method: 'POST',
          ...bearer('other-secret'),
        })
      ).json();
      expect(refused.state).not.toBe('open');
      expect(refused.lastError).toContain('401');
      await fetch(`${stranger.httpUrl}/interconnect/127.0.0.1%3A${b.port}`, {
        method: 'DELETE',
        ...bearer('other-secret'),
      });
    });

    it('dials only addresses of the allowlist, and never opens a connection to another', async () => {
      const connections: number[] = [];
      const bait: Server = createServer((socket) => {
        connections.push(1);
        socket.destroy();
      });
      await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
      const baitPort = (bait.address() as { port: number }).port;
      try {
        const b = await start();
        const a = await start({ HUB_INTERCONNECT_ALLOW: `127.0.0.1:${b.port},*.example.com` });
        const refused = await fetch(`${a.httpUrl}/interconnect/127.0.0.1%3A${baitPort}`, {
          method: 'POST',
        });
        expect(refused.status).toBe(403);
        expect(
          (await fetch(`${a.httpUrl}/interconnect/localhost%3A${baitPort}`, { method: 'POST' }))
            .status,
        ).toBe(403);
        expect(
          (await fetch(`${a.httpUrl}/interconnect/127.0.0.1%3A${b.port}`, { method: 'POST' }))
            .status,
        ).toBe(201);
        expect(connections).toEqual([]);
      } finally {
        await new Promise((resolve) => bait.close(resolve));
      }
    });
  });

  it('refuses websocket upgrades from origins not in the allowlist', async () => {
    const hub = await start({ HUB_ALLOWED_ORIGINS: 'https://ops.example.com' });
    const url = `${hub.url}/connect/messenger`;
    await expect(WsPeer.connect(url, { origin: 'https://evil.example.com' })).rejects.toMatchObject(
      { statusCode: 403 },
    );
    await connect(url, { origin: 'https://ops.example.com' });
    await connect(url); // no Origin: not a browser
  });
});
