import { encodeMeshMembers, HUB_ID_HEADER } from '@ces/protocol';
import { e2eFixtures } from '../support/fixtures';
import { linkHubs, listLinks, openLinkIds, untilFullMesh } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

describe('the mesh from one address', () => {
  const { hub: start, messenger } = e2eFixtures({
    HUB_LINK_BACKOFF_INITIAL_MS: 50,
    HUB_LINK_BACKOFF_MAX_MS: 200,
  });

  /**
   * Hubs a and b, and c that may dial a only; b and c each dial a, and the mesh is waited
   * for: c hears of b from a, and the link of that pair is b's.
   */
  const meshWhereCDialsOnlyA = async (settings: Record<string, number> = {}) => {
    const a = await start(settings);
    const b = await start(settings);
    const c = await start({ ...settings, HUB_INTERCONNECT_ALLOW: `127.0.0.1:${a.port}` });
    await linkHubs(b, a);
    await linkHubs(c, a);
    await untilFullMesh([a, b, c]);
    return [a, b, c];
  };

  it('forms a full mesh of four hubs when three are each given only the first', async () => {
    const [a, b, c, d] = [await start(), await start(), await start(), await start()];
    for (const hub of [b, c, d]) expect((await linkHubs(hub, a)).status).toBe(201);
    await untilFullMesh([a, b, c, d], 15_000);
    for (const hub of [a, b, c, d]) expect(await openLinkIds(hub)).toHaveLength(3);

    // Every hub reaches every other over its own link: an event crosses one link only.
    const receivers = await Promise.all([a, b, c, d].map((hub) => messenger(hub, ['R'])));
    (await messenger(d)).send('R', { from: 'd' });
    for (const receiver of receivers) await receiver.waitForEvents(1);
    (await messenger(d)).send('R', { barrier: true });
    for (const receiver of receivers)
      expect((await receiver.waitForEvents(2)).map((e) => e.event)).toEqual([
        { from: 'd' },
        { barrier: true },
      ]);
  });

  it('learns from HUB_PEERS too', async () => {
    const a = await start();
    const b = await start({ HUB_PEERS: `127.0.0.1:${a.port}` });
    const c = await start({ HUB_PEERS: `127.0.0.1:${a.port}` });
    await untilFullMesh([a, b, c]);
  });

  it('never dials a learned address HUB_INTERCONNECT_ALLOW refuses', async () => {
    const [a, b, c] = await meshWhereCDialsOnlyA();
    const ofC = await listLinks(c);
    expect(ofC.filter((link) => link.direction === 'out').map((link) => link.remoteHubId)).toEqual([
      a.hubId,
    ]);
    const fromB = (await listLinks(b)).find((link) => link.remoteHubId === c.hubId);
    expect(fromB).toMatchObject({ direction: 'out', origin: 'mesh', state: 'open' });
  });

  it('forgets a learned hub that stays down for HUB_MESH_FORGET_MS, not an operator link', async () => {
    const [a, b, c] = await meshWhereCDialsOnlyA({ HUB_MESH_FORGET_MS: 500 });

    // a goes first, then c: once b has forgotten c, the operator's link to a has been down
    // longer than the forget period, and would have gone in the same sweep were it learned.
    await a.close();
    const toA = async () => (await listLinks(b)).find((link) => link.remoteHubId === a.hubId);
    await waitFor(async () => (await toA())?.state === 'reconnecting', 'b to see a go');
    await c.close();
    const toC = async () => (await listLinks(b)).find((link) => link.remoteHubId === c.hubId);
    await waitFor(async () => (await toC())?.state === 'reconnecting', 'b to see c go');
    await waitFor(async () => (await toC()) === undefined, 'b to forget c', 5000);
    expect(await toA()).toMatchObject({ origin: 'operator', direction: 'out' });
  });

  it('does not learn again, for a while, an address deleted here', async () => {
    const [a, b, c] = await meshWhereCDialsOnlyA();
    const address = encodeURIComponent(`127.0.0.1:${c.port}`);
    expect((await fetch(`${b.httpUrl}/interconnect/${address}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    // A new member makes a tell b the whole list again, c's address included; an event a
    // sends after that reaches b over the same link, so b has read the list by then.
    const onB = await messenger(b, ['R']);
    const d = await start();
    await linkHubs(d, a);
    await waitFor(
      async () =>
        (await listLinks(a)).some((link) => link.remoteHubId === d.hubId && link.advertises),
      'a to read where d may be dialed',
    );
    (await messenger(a)).send('R', { after: 'the list' });
    await onB.waitForEvents(1);
    expect((await listLinks(b)).some((link) => link.remoteHubId === c.hubId)).toBe(false);
    // d, which deleted nothing, links to c as usual.
    await waitFor(async () => (await openLinkIds(d)).includes(c.hubId), 'd to link to c');
  });

  it('dials at most 1,000 hubs it learned of, however many it is told', async () => {
    // One dial each: the addresses refuse, and the next attempt is a minute away.
    const hub = await start({
      HUB_LINK_BACKOFF_INITIAL_MS: 60_000,
      HUB_LINK_BACKOFF_MAX_MS: 60_000,
    });
    const onHub = await messenger(hub, ['R']);
    const teller = await WsPeer.connect(`${hub.url}/connect/hub`, {
      headers: { [HUB_ID_HEADER]: 'teller' },
    });
    try {
      // 127.1.x.y is loopback with nothing listening: each dial is refused at once.
      const members = (from: number) =>
        Array.from({ length: 1000 }, (_, i) => ({
          id: `member-${from + i}`,
          address: `127.1.${(from + i) >> 8}.${(from + i) & 255}:9`,
        }));
      teller.sendRaw(encodeMeshMembers(members(0)));
      teller.sendRaw(encodeMeshMembers(members(1000)));
      // An event after both lists, over the same socket: once it arrives both were read.
      teller.send('R', { after: 'both lists' });
      await onHub.waitForEvents(1);
      const learned = (await listLinks(hub)).filter((link) => link.origin === 'mesh');
      expect(learned).toHaveLength(1000);
      expect(new Set(learned.map((link) => link.remoteHubId ?? link.address)).size).toBe(1000);
    } finally {
      await teller.close();
    }
  }, 60_000);
});
