import { startHub as startHubApp } from '../../apps/hub/src/hub.bootstrap';
import type { HubSettings } from '../../apps/hub/src/hub.module';

export interface TestHub {
  /** ws://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.1:PORT */
  httpUrl: string;
  port: number;
  hubId: string;
  close(): Promise<void>;
}

/** Starts a real hub in this process on an ephemeral port (unless HUB_PORT is given). */
export async function startHub(overrides: HubSettings = {}): Promise<TestHub> {
  const { app, port, config } = await startHubApp({
    HUB_HOST: '127.0.0.1',
    HUB_PORT: 0,
    LOG_LEVEL: 'error',
    // In-process hubs share one working directory: none stores events unless a test asks.
    HUB_STORE: 'memory',
    ...overrides,
  });
  let closed: Promise<void> | undefined;
  return {
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    port,
    hubId: config.hubId,
    close: () => (closed ??= app.close()),
  };
}
