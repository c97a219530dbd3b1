import { connect as tcpConnect, Socket } from 'node:net';
import { e2eFixtures } from '../support/fixtures';
import { getJson } from '../support/http';
import { waitFor } from '../support/wait-for';

/** A raw TCP connection to the hub; resolves once connected. */
function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closed = (socket: Socket) =>
  new Promise<number>((resolve) => {
    const since = Date.now();
    socket.once('close', () => resolve(Date.now() - since));
  });

describe('TCP connections before they are peers', () => {
  const { hub: start, messenger } = e2eFixtures();
  const sockets: Socket[] = [];
  afterEach(() => sockets.splice(0).forEach((socket) => socket.destroy()));
  const open = async (port: number) => {
    const socket = await rawSocket(port);
    socket.on('error', () => undefined);
    sockets.push(socket);
    return socket;
  };

  it('closes a connection that never sends a byte', async () => {
    const hub = await start({ HUB_PREUPGRADE_IDLE_MS: 300, HUB_HEADERS_TIMEOUT_MS: 5000 });
    const silent = await open(hub.port);
    expect(await closed(silent)).toBeLessThan(3000);
  });

  it('closes a connection that sends its headers a byte at a time', async () => {
    const hub = await start({ HUB_PREUPGRADE_IDLE_MS: 5000, HUB_HEADERS_TIMEOUT_MS: 500 });
    const slow = await open(hub.port);
    const request = 'GET /connect/messenger HTTP/1.1\r\nHost: x\r\n';
    let i = 0;
    const drip = setInterval(() => slow.writable && slow.write(request[i++ % request.length]), 100);
    try {
      expect(await closed(slow)).toBeLessThan(3000);
    } finally {
      clearInterval(drip);
    }
  });

  it('counts silent connections against the per-address limit, and keeps serving peers', async () => {
    const hub = await start({ HUB_MAX_CONNECTIONS_PER_ADDRESS: 4, HUB_PREUPGRADE_IDLE_MS: 60_000 });
    const silent = await Promise.all(Array.from({ length: 40 }, () => open(hub.port)));
    let refused = 0;
    for (const socket of silent) socket.once('close', () => refused++);
    await waitFor(() => refused === 40 - (4 + 16), 'the connections over the limit to be closed');
    const allClosed = Promise.all(silent.filter((s) => !s.destroyed).map(closed));
    for (const socket of silent) socket.destroy();
    await allClosed;
    const peer = await messenger(hub, ['R']);
    expect((await getJson(`${hub.httpUrl}/status`)).peers.messengers).toHaveLength(1);
    await peer.close();
  });

  it('leaves an upgraded websocket alone however long it is idle', async () => {
    const hub = await start({ HUB_PREUPGRADE_IDLE_MS: 200 });
    const peer = await messenger(hub, ['R']);
    // A silent connection opened after the upgrade, closed by the idle timeout: by then the
    // websocket has been idle longer than the timeout too.
    const silent = await open(hub.port);
    await closed(silent);
    const sender = await messenger(hub);
    sender.send('R', { n: 1 });
    expect(await peer.waitForEvents(1)).toHaveLength(1);
  });
});
