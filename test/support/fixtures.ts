import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubSettings } from '../../apps/hub/src/config/hub-environment';
import { AppProcess, runHub } from './built-app';
import { startHub, TestHub } from './hub-harness';
import { WsPeer } from './ws-peer';

/** Anything a test opens and must close: a hub, a peer, a client, a browser context. */
export interface Closable {
  close(): Promise<unknown>;
}

export interface E2eFixtures {
  /** Closes `item` after the test, with everything else the test opened. */
  track<T extends Closable>(item: T): T;
  /** A real hub on an ephemeral port, with the block's default settings under `settings`. */
  hub(settings?: HubSettings): Promise<TestHub>;
  /** A bare websocket peer at `url`. */
  connect(url: string, options?: Parameters<typeof WsPeer.connect>[1]): Promise<WsPeer>;
  /** A bare messenger on `hub`, subscribed to `rooms` (and the hub has applied it). */
  messenger(hub: TestHub, rooms?: string[]): Promise<WsPeer>;
}

/**
 * The hubs and peers of a describe block's tests. Call it once in the block: after each
 * test, what it opened is closed, the latest first, so peers close before their hubs.
 */
export function e2eFixtures(defaults: HubSettings = {}): E2eFixtures {
  const opened: Closable[] = [];
  afterEach(async () => {
    for (const item of opened.splice(0).reverse()) await item.close();
  });
  const track = <T extends Closable>(item: T): T => {
    opened.push(item);
    return item;
  };
  const connect: E2eFixtures['connect'] = async (url, options) =>
    track(await WsPeer.connect(url, options));
  return {
    track,
    connect,
    hub: async (settings = {}) => track(await startHub({ ...defaults, ...settings })),
    messenger: async (hub, rooms = []) => {
      const peer = await connect(`${hub.url}/connect/messenger`);
      if (rooms.length) await peer.subscribe(rooms);
      return peer;
    },
  };
}

export interface BuiltHubFixtures {
  /** The current test's data directory, made empty before it and removed after it. */
  readonly dataDir: string;
  /** Closes `item` after the test, before the test's hub processes are stopped. */
  track<T extends Closable>(item: T): T;
  /** Stops `hub` (a process from `spawnHub` or `runApp`) after the test unless it has exited. */
  trackProcess(hub: AppProcess): AppProcess;
  /** The built hub on `port` with an SQLite store in `dataDir` and the block's `env` under `env`. */
  spawnHub(port: number, env?: Record<string, string>): Promise<AppProcess>;
}

/**
 * Built hubs of a describe block's tests as their own processes, each test's on a fresh data
 * directory, so they can be stopped for real and started again on what they stored. Call it
 * once in the block: after each test, what it tracked is closed (the latest first), then the
 * hubs that are still running are killed, then the data directory is removed.
 */
export function builtHubFixtures(
  dataDirPrefix: string,
  defaults: Record<string, string> = {},
): BuiltHubFixtures {
  const { track } = e2eFixtures();
  const processes: AppProcess[] = [];
  let dataDir = '';
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix))));
  // Declared after e2eFixtures' hook, so it runs after it: peers close before their hubs stop.
  afterEach(async () => {
    for (const hub of processes.splice(0)) await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const trackProcess = (hub: AppProcess): AppProcess => {
    processes.push(hub);
    return hub;
  };
  return {
    get dataDir() {
      return dataDir;
    },
    track,
    trackProcess,
    spawnHub: async (port, env = {}) =>
      trackProcess(
        await runHub(port, {
          HUB_STORE: 'sqlite',
          HUB_DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
          ...defaults,
          ...env,
        }),
      ),
  };
}
