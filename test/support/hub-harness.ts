import { startHub as startHubApp } from '../../apps/hub/src/hub.bootstrap';
import type { HubSettings } from '../../apps/hub/src/config/hub-environment';
import { waitFor } from './wait-for';

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

/** `POST /interconnect` on `from` to `to`: `from` dials. */
export function linkHubs(from: TestHub, to: TestHub): Promise<Response> {
  return fetch(`${from.httpUrl}/interconnect/${encodeURIComponent(`127.0.0.1:${to.port}`)}`, {
    method: 'POST',
  });
}

/**
 * Links every two of `hubs` (the earlier one dials) and waits for the full mesh. A link
 * may exist already (200): the hubs learn each other from the mesh as they are linked.
 */
export async function linkEveryPair(hubs: TestHub[]): Promise<void> {
  for (const [i, from] of hubs.entries()) {
    for (const to of hubs.slice(i + 1)) {
      const response = await linkHubs(from, to);
      if (response.status !== 201 && response.status !== 200)
        throw new Error(`linking ${from.hubId} to ${to.hubId}: ${response.status}`);
    }
  }
  await untilFullMesh(hubs);
}

export interface ListedLink {
  address: string;
  direction: 'in' | 'out';
  state: string;
  origin?: 'operator' | 'mesh';
  remoteHubId?: string;
  advertises?: string;
  since: string;
  dropped: { tooLarge: number; slowConsumer: number };
  warning?: string;
}

/** GET /interconnect on `hub`. */
export async function listLinks(hub: TestHub): Promise<ListedLink[]> {
  return (await (await fetch(`${hub.httpUrl}/interconnect`)).json()) as ListedLink[];
}

/** The ids of the hubs `hub` has an open link to, each once per open link, sorted. */
export async function openLinkIds(hub: TestHub): Promise<string[]> {
  return (await listLinks(hub))
    .filter((link) => link.state === 'open')
    .map((link) => link.remoteHubId ?? '(no id)')
    .sort();
}

/** Waits until each of `hubs` has exactly one open link to each of the others. */
export async function untilFullMesh(hubs: TestHub[], timeoutMs = 10_000): Promise<void> {
  const complete = async () => {
    for (const hub of hubs) {
      const others = hubs.filter((other) => other !== hub).map((other) => other.hubId);
      if ((await openLinkIds(hub)).join() !== others.sort().join()) return false;
    }
    return true;
  };
  await waitFor(complete, `a full mesh of ${hubs.length} hubs`, timeoutMs);
}

/** The open link `from` has to `to`, as `from`'s /status shows it. */
export async function linkStatus(
  from: TestHub,
  to: TestHub,
): Promise<
  | {
      eventsOut: number;
      interest?: { known: boolean; everything: boolean; rooms: number; eventsSkipped: number };
    }
  | undefined
> {
  const status = (await (await fetch(`${from.httpUrl}/status`)).json()) as {
    links: { state: string; remoteHubId?: string; eventsOut: number }[];
  };
  return status.links.find((link) => link.state === 'open' && link.remoteHubId === to.hubId);
}

/**
 * Waits until `from` has heard that `to` has local subscribers for `rooms` rooms: from then
 * on, what is published on `from` for those rooms reaches `to`'s subscribers. Subscribing on
 * one hub and publishing at once on another races with that message, as it would between
 * any two processes.
 */
export function untilLinkWants(from: TestHub, to: TestHub, rooms: number): Promise<void> {
  return waitFor(async () => {
    const interest = (await linkStatus(from, to))?.interest;
    return interest?.known === true && interest.rooms === rooms;
  }, `${from.hubId} to learn that ${to.hubId} wants ${rooms} rooms`);
}
