/**
 * The `client` scenario: what the Node messenger client costs per event, on the client's own
 * CPU, against a bare `ws` socket doing the same work by hand (JSON.stringify and the
 * `ROOM\n` line to publish; splitting the room line and JSON.parse to receive). One hub; the
 * measured client publishes or receives at a fixed rate the hub keeps up with, and a raw
 * helper process feeds it or counts what it sent.
 */
import { ClientCostResult, ClientCostTask, ClientKind } from '../clients/client-cost-task';
import { WorkerPool } from '../clients/worker-pool';
import { freePort } from '../targets/free-port';
import { startTarget } from '../targets/target-process';

export type ClientSide = 'publish' | 'receive';

/** One measured side of one client in one run. */
export interface ClientCostRecord {
  side: ClientSide;
  client: ClientKind;
  run: number;
  /** Client CPU (user + system) per event within the measured window. */
  cpuPerEventUs: number;
  /** Events per second within the window: the rate asked for, if the hub kept up. */
  eventsPerSec: number;
  /** Events published over the whole run, and how many of them the other end received. */
  published: number;
  received: number;
  reordered: number;
  /** Publishing batches held back because the client still had a backlog: the hub fell behind. */
  heldBack: number;
}

export interface ClientCostParams {
  rate: number;
  payloadBytes: number;
  warmupMs: number;
  durationMs: number;
  /** Node options of the measured client process only (say, `--cpu-prof`). */
  clientNodeOptions: string;
}

const SIDES: ClientSide[] = ['publish', 'receive'];
const CLIENTS: ClientKind[] = ['messenger', 'raw'];
const TAIL_MS = 500;

/**
 * One run: each side with both clients at once, side by side against the same hub, so that
 * whatever else runs on the machine weighs on both alike (on a shared machine it comes and
 * goes within seconds). Fresh client processes for each side.
 */
export async function measureClientCost(
  params: ClientCostParams,
  run: number,
): Promise<ClientCostRecord[]> {
  const hub = await startTarget('hub', await freePort());
  const records: ClientCostRecord[] = [];
  try {
    for (const side of SIDES) records.push(...(await measureSide(hub.url, side, params, run)));
  } finally {
    await hub.stop();
  }
  return records;
}

/**
 * Publishing: each client publishes into a room of its own, a raw sink per room counts what
 * arrived. Receiving: one raw feeder publishes into one room both clients subscribe to, so
 * they receive the same events at the same time.
 */
async function measureSide(
  url: string,
  side: ClientSide,
  params: ClientCostParams,
  run: number,
): Promise<ClientCostRecord[]> {
  const base = {
    rate: params.rate,
    payloadBytes: params.payloadBytes,
    warmupMs: params.warmupMs,
    durationMs: params.durationMs,
    tailMs: TAIL_MS,
    url,
  };
  const roomOf = (client: ClientKind) =>
    side === 'publish' ? `cost-publish-${client}-${run}` : `cost-receive-${run}`;
  const measuredTasks: ClientCostTask[] = CLIENTS.map((client) => ({
    ...base,
    role: side,
    client,
    room: roomOf(client),
  }));
  const helperTasks: ClientCostTask[] =
    side === 'publish'
      ? CLIENTS.map((client) => ({ ...base, role: 'sink', client: 'raw', room: roomOf(client) }))
      : [{ ...base, role: 'feed', client: 'raw', room: roomOf('raw') }];
  const measured = new WorkerPool<ClientCostTask, ClientCostResult>(
    'client-cost-worker.js',
    params.clientNodeOptions,
  );
  const helper = new WorkerPool<ClientCostTask, ClientCostResult>('client-cost-worker.js');
  const timeoutMs = params.warmupMs + params.durationMs + 60_000;
  try {
    // The receiving ends first: they are subscribed before anything is published.
    const [first, then] = side === 'publish' ? [helper, measured] : [measured, helper];
    await first.setUp(side === 'publish' ? helperTasks : measuredTasks);
    await then.setUp(side === 'publish' ? measuredTasks : helperTasks);
    const [mine, theirs] = await Promise.all([measured.run(timeoutMs), helper.run(timeoutMs)]);
    return CLIENTS.map((client, i) => {
      const own = mine[i];
      const [sender, receiver] = side === 'publish' ? [own, theirs[i]] : [theirs[0], own];
      return {
        side,
        client,
        run,
        cpuPerEventUs: own.cpuUs / Math.max(1, own.events),
        eventsPerSec: (own.events * 1000) / Math.max(1, own.windowMs),
        published: sender.published,
        received: receiver.received,
        reordered: receiver.reordered,
        heldBack: sender.heldBack,
      };
    });
  } finally {
    // A worker exits once it has reported; a profiled one writes its profile first.
    await Promise.all([measured.stopWhenExited(5000), helper.stopWhenExited(5000)]);
  }
}
