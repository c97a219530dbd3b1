import { AppProcess, freePort, runHub } from '../support/built-app';
import { getJson } from '../support/http';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

interface HubProcess {
  port: number;
  id: string;
  process: AppProcess;
}

/** A built hub as its own process, so it can be killed for real. */
async function spawnHub(id: string, port?: number, peers: number[] = []): Promise<HubProcess> {
  const chosen = port ?? (await freePort());
  const process = await runHub(chosen, {
    HUB_ID: id,
    HUB_PEERS: peers.map((p) => `127.0.0.1:${p}`).join(','),
    HUB_LINK_BACKOFF_INITIAL_MS: '100',
    HUB_LINK_BACKOFF_MAX_MS: '500',
    LOG_LEVEL: 'warn',
  });
  return { port: chosen, id, process };
}

const openLinks = async (hub: HubProcess) =>
  (
    (await getJson(`http://127.0.0.1:${hub.port}/interconnect`)) as {
      state: string;
      remoteHubId?: string;
    }[]
  )
    .filter((link) => link.state === 'open')
    .map((link) => link.remoteHubId)
    .sort();

describe('faults in a mesh of three hub processes', () => {
  const hubs: HubProcess[] = [];
  const peers: WsPeer[] = [];

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    for (const hub of hubs.splice(0)) await hub.process.close();
  });

  it('keeps routing when one hub is killed with SIGKILL, and relinks it when it returns', async () => {
    const a = await spawnHub('hub-a');
    const b = await spawnHub('hub-b', undefined, [a.port]);
    const c = await spawnHub('hub-c', undefined, [a.port, b.port]);
    hubs.push(a, b, c);
    await waitFor(
      async () => (await openLinks(c)).length === 2 && (await openLinks(b)).length === 2,
      'the mesh',
    );

    const onA = await WsPeer.connect(`ws://127.0.0.1:${a.port}/connect/messenger`);
    const onC = await WsPeer.connect(`ws://127.0.0.1:${c.port}/connect/messenger`);
    peers.push(onA, onC);
    await onA.subscribe(['R']);
    await waitFor(async () => {
      const { links } = await getJson(`http://127.0.0.1:${c.port}/status`);
      return links.some(
        (link: { remoteHubId?: string; interest?: { rooms: number } }) =>
          link.remoteHubId === 'hub-a' && link.interest?.rooms === 1,
      );
    }, 'hub-c to learn that hub-a wants R');

    b.process.child.kill('SIGKILL');
    await b.process.exited;
    onC.send('R', { n: 1 });
    expect((await onA.waitForEvents(1))[0].event).toEqual({ n: 1 });

    // b comes back with its configuration (HUB_PEERS → a); c redials b by itself.
    const revived = await spawnHub('hub-b', b.port, [a.port]);
    hubs.push(revived);
    await waitFor(
      async () => (await openLinks(revived)).length === 2,
      'the mesh to close again',
      15000,
    );
    const onB = await WsPeer.connect(`ws://127.0.0.1:${revived.port}/connect/messenger`);
    peers.push(onB);
    onB.send('R', { n: 2 });
    expect((await onA.waitForEvents(2))[1].event).toEqual({ n: 2 });
  });

  it('closes cleanly under load on SIGTERM: peers get 1001 and the process exits 0', async () => {
    const hub = await spawnHub('hub-busy');
    hubs.push(hub);
    const receiver = await WsPeer.connect(`ws://127.0.0.1:${hub.port}/connect/messenger`);
    const sender = await WsPeer.connect(`ws://127.0.0.1:${hub.port}/connect/messenger`);
    peers.push(receiver, sender);
    await receiver.subscribe(['R']);
    const load = setInterval(() => {
      for (let i = 0; i < 200; i++) sender.send('R', { i });
    }, 5);
    try {
      await receiver.waitForEvents(1000);
      hub.process.child.kill('SIGTERM');
      expect(await receiver.waitForClose()).toBe(1001);
      expect(await hub.process.exited).toBe(0);
    } finally {
      clearInterval(load);
    }
  });
});

describe('half-open connections', () => {
  it('finds a peer that vanished without closing, by keepalive', async () => {
    const port = await freePort();
    const hub = await runHub(port, { HUB_PING_INTERVAL_MS: '200', LOG_LEVEL: 'error' });
    try {
      const ghost = await WsPeer.connect(`ws://127.0.0.1:${port}/connect/messenger`);
      // Stop reading and answering, without a FIN: to the hub this peer has gone silent.
      (ghost.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      const status = () => getJson(`http://127.0.0.1:${port}/status`);
      expect((await status()).peers.messengers).toHaveLength(1);
      await waitFor(
        async () => (await status()).peers.messengers.length === 0,
        'the hub to drop the ghost',
        5000,
      );
      ghost.socket.terminate();
    } finally {
      await hub.close();
    }
  });
});
