import { e2eFixtures } from '../support/fixtures';
import { startRepeater } from '../support/repeater-harness';
import { waitFor } from '../support/wait-for';

/** Liveness never depends on another service; readiness does. */
describe('health probes', () => {
  const { hub: start, track } = e2eFixtures();
  const statusOf = async (url: string) => (await fetch(url)).status;

  it('keeps a repeater live while its hub is down, and not ready', async () => {
    const hub = await start();
    const repeater = track(await startRepeater(hub.url));
    expect(await statusOf(`${repeater.httpUrl}/health/ready`)).toBe(200);
    await hub.close();
    await waitFor(
      async () => (await statusOf(`${repeater.httpUrl}/health/ready`)) === 503,
      'the repeater to notice its hub is gone',
    );
    expect(await statusOf(`${repeater.httpUrl}/health/live`)).toBe(200);
    expect(await statusOf(`${repeater.httpUrl}/health`)).toBe(503);
  });

  it('answers both probes on the hub without a token, with authentication on', async () => {
    const hub = await start({ HUB_AUTH_TOKENS: 'secret' });
    expect(await statusOf(`${hub.httpUrl}/health/live`)).toBe(200);
    expect(await statusOf(`${hub.httpUrl}/health/ready`)).toBe(200);
    expect(await statusOf(`${hub.httpUrl}/status`)).toBe(401);
  });
});
