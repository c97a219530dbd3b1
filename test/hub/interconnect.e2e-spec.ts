import { e2eFixtures } from '../support/fixtures';
import { linkEveryPair, linkHubs, TestHub, untilLinkWants } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';

const links = async (hub: TestHub) =>
  (await (await fetch(`${hub.httpUrl}/interconnect`)).json()) as {
    state: string;
    direction: string;
    remoteHubId?: string;
  }[];

describe('interconnected hubs', () => {
  const { hub: start, messenger } = e2eFixtures({
    HUB_LINK_BACKOFF_INITIAL_MS: 50,
    HUB_LINK_BACKOFF_MAX_MS: 200,
  });

  it('links two hubs and reports the link on both', async () => {
    const [a, b] = [await start(), await start()];
    const response = await linkHubs(a, b);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      state: 'open',
      direction: 'out',
      remoteHubId: b.hubId,
    });
    expect((await linkHubs(a, b)).status).toBe(200);
    await waitFor(
      async () => (await links(b)).some((l) => l.direction === 'in' && l.remoteHubId === a.hubId),
      'the incoming link on b',
    );
  });

  it('delivers an event from a messenger on A exactly once on B and C, with no loop', async () => {
    const [a, b, c] = [await start(), await start(), await start()];
    await linkEveryPair([a, b, c]);
    const onB = await messenger(b, ['R']);
    const onC = await messenger(c, ['R']);
    const onA = await messenger(a, ['R']);
    for (const [from, to] of [
      [a, b],
      [a, c],
      [b, c],
      [c, b],
      [b, a],
      [c, a],
    ])
      await untilLinkWants(from, to, 1);
    const sender = await messenger(a);

    sender.send('R', { n: 1 });
    sender.send('R', { n: 2 });
    for (const peer of [onA, onB, onC]) {
      await peer.waitForEvents(2);
    }
    // A barrier from each hub: anything looping would have arrived before it.
    for (const hub of [a, b, c]) (await messenger(hub)).send('R', { barrier: hub.hubId });
    for (const peer of [onA, onB, onC]) {
      const events = await peer.waitForEvents(5);
      expect(events.filter((e) => 'n' in (e.event as object)).map((e) => e.event)).toEqual([
        { n: 1 },
        { n: 2 },
      ]);
    }
  });

  it('refuses to link a hub to itself', async () => {
    const a = await start();
    const response = await linkHubs(a, a);
    expect(response.status).toBe(409);
    expect(await links(a)).toEqual([]);
  });

  it('keeps one link when two hubs link to each other', async () => {
    const [a, b] = [await start(), await start()];
    await Promise.all([linkHubs(a, b), linkHubs(b, a)]);
    const receiver = await messenger(b, ['R']);
    await untilLinkWants(a, b, 1);
    const sender = await messenger(a);
    sender.send('R', { n: 1 });
    sender.send('R', { n: 2 });
    await receiver.waitForEvents(2);
    await (await messenger(b)).send('R', { barrier: true });
    const events = await receiver.waitForEvents(3);
    expect(events.map((e) => e.event)).toEqual([{ n: 1 }, { n: 2 }, { barrier: true }]);
  });

  it('redials a dropped link by itself', async () => {
    const a = await start();
    let b = await start();
    await linkHubs(a, b);
    const port = b.port;
    await b.close();
    await waitFor(async () => (await links(a))[0].state !== 'open', 'the link to notice the drop');
    b = await start({ HUB_PORT: port });
    await waitFor(async () => (await links(a))[0].state === 'open', 'the link to come back', 10000);
    const receiver = await messenger(b, ['R']);
    await untilLinkWants(a, b, 1);
    (await messenger(a)).send('R', { after: 'reconnect' });
    expect((await receiver.waitForEvents(1))[0].event).toEqual({ after: 'reconnect' });
  });

  it('removes a link with DELETE and refuses bad addresses', async () => {
    const [a, b] = [await start(), await start()];
    await linkHubs(a, b);
    const address = encodeURIComponent(`127.0.0.1:${b.port}`);
    expect((await fetch(`${a.httpUrl}/interconnect/${address}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect(await links(a)).toEqual([]);
    expect((await fetch(`${a.httpUrl}/interconnect/${address}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    const bad = await fetch(`${a.httpUrl}/interconnect/${encodeURIComponent('http://x')}`, {
      method: 'POST',
    });
    expect(bad.status).toBe(400);
  });
});
