import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { e2eFixtures } from '../support/fixtures';
import { listLinks } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';

/**
 * An original Go hub sends no hub id, so a Go hub that this hub dials and that dials this
 * hub too makes two links, and every event crosses twice. The hub cannot tell it from two
 * Go hubs at one IP, so it keeps both links and says so on each.
 */
describe('an original Go hub linked both ways', () => {
  const { hub: start, connect, track } = e2eFixtures();

  async function goHubServer() {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    // The hub closes after this server: its link must not hold the server's close.
    track({
      close: () => {
        for (const socket of server.clients) socket.terminate();
        return new Promise((resolve) => server.close(resolve));
      },
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return `127.0.0.1%3A${(server.address() as AddressInfo).port}`;
  }

  it('is flagged on both links, which stay open', async () => {
    const hub = await start();
    const address = await goHubServer();
    expect((await fetch(`${hub.httpUrl}/interconnect/${address}`, { method: 'POST' })).status).toBe(
      201,
    );
    // The Go hub dials back from the same IP, without an id.
    await connect(`${hub.url}/connect/hub`);
    await waitFor(async () => (await listLinks(hub)).length === 2, 'both links');
    const links = await listLinks(hub);
    expect(links.map((link) => [link.direction, link.state])).toEqual([
      ['out', 'open'],
      ['in', 'open'],
    ]);
    for (const link of links) expect(link.warning).toMatch(/linked both ways/);
  });

  it('flags nothing when only one side dials', async () => {
    const hub = await start();
    await connect(`${hub.url}/connect/hub`);
    const other = await start();
    await fetch(`${hub.httpUrl}/interconnect/127.0.0.1%3A${other.port}`, { method: 'POST' });
    await waitFor(async () => (await listLinks(hub)).length === 2, 'both links');
    for (const link of await listLinks(hub)) expect(link.warning).toBeUndefined();
  });
});
