import type { HubSettings } from '../../apps/hub/src/config/hub-environment';
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
