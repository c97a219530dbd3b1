import { startRepeater as startRepeaterApp } from '../../apps/repeater/src/repeater.bootstrap';
import type { RepeaterSettings } from '../../apps/repeater/src/config/repeater-environment';
import { getJson } from './http';
import { waitFor } from './wait-for';

export interface TestRepeater {
  url: string;
  httpUrl: string;
  port: number;
  repeaterId: string;
  close(): Promise<void>;
}

/** Starts a real repeater in this process on an ephemeral port, and waits for its uplink to open. */
export async function startRepeater(
  hubUrl: string,
  overrides: RepeaterSettings = {},
): Promise<TestRepeater> {
  const { app, port, config } = await startRepeaterApp({
    REPEATER_HOST: '127.0.0.1',
    REPEATER_PORT: 0,
    REPEATER_HUB_URL: hubUrl,
    LOG_LEVEL: 'error',
    ...overrides,
  });
  let closed: Promise<void> | undefined;
  const repeater = {
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    port,
    repeaterId: config.repeaterId,
    close: () => (closed ??= app.close()),
  };
  await waitFor(
    // /health is open even when authentication is on, and it includes the uplink.
    async () => (await getJson(`${repeater.httpUrl}/health`)).status === 'ok',
    'the uplink',
  );
  return repeater;
}
