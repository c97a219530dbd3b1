import { AppProcess, builtApp, freePort, runApp } from '../support/built-app';
import { untilHealthy } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

describe('the hub as a process', () => {
  let hub: AppProcess | undefined;

  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('stops at startup naming a setting that is not valid', async () => {
    hub = runApp(builtApp('hub'), { HUB_PORT: 'seventy', HUB_PING_INTERVAL_MS: '5' });
    expect(await hub.exited).toBe(1);
    expect(hub.output()).toContain('HUB_PORT');
    expect(hub.output()).toContain('HUB_PING_INTERVAL_MS');
  });

  it('closes its peers with 1001 and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    hub = runApp(builtApp('hub'), {
      HUB_PORT: String(port),
      HUB_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    await untilHealthy(port, 'the hub to listen');
    const messenger = await WsPeer.connect(`ws://127.0.0.1:${port}/connect/messenger`);
    hub.child.kill('SIGTERM');
    expect(await messenger.waitForClose()).toBe(1001);
    expect(await hub.exited).toBe(0);
  });
});
