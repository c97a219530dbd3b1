import { MessengerClient } from '@ces/messenger';
import { e2eFixtures } from '../support/fixtures';
import { getJson } from '../support/http';
import { startRepeater } from '../support/repeater-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

describe('the hub shows the names clients give themselves', () => {
  const { hub: start, track, connect } = e2eFixtures();

  it('lists a named messenger and a named repeater with their names beside their ids', async () => {
    const hub = await start();
    const client = new MessengerClient({ hubUrl: `127.0.0.1:${hub.port}`, name: 'billing-worker' });
    track(client);
    await client.connect();
    track(await startRepeater(hub.url, { REPEATER_ID: 'rep-1' }));
    await connect(`${hub.url}/connect/messenger`);
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).peers.repeaters.length === 1,
      'the repeater',
    );
    const { peers } = await getJson(`${hub.httpUrl}/status`);
    const names = peers.messengers.map((peer: { name?: string }) => peer.name ?? null).sort();
    expect(names).toEqual(['billing-worker', null]);
    expect(peers.repeaters[0]).toMatchObject({ name: 'rep-1' });
    expect(peers.repeaters[0].id).toMatch(/^repeater-\d+$/);
  });

  it('refuses an invalid name with 400 before the upgrade', async () => {
    const hub = await start();
    for (const name of ['', 'two%20words', 'x'.repeat(65), '%3Cb%3E'])
      await expect(
        WsPeer.connect(`${hub.url}/connect/messenger?name=${name}`),
      ).rejects.toMatchObject({ statusCode: 400 });
    const status = await getJson(`${hub.httpUrl}/status`);
    expect(status.totals.rejected['upgrade-invalid-name']).toBe(4);
  });
});
