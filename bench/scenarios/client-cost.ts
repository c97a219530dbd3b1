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
 * One run: both sides, both clients, in alternating order (the order flips every run), each
 * measurement with fresh client processes against the same hub.
 */
export async function measureClientCost(
  params: ClientCostParams,
  run: number,
): Promise<ClientCostRecord[]> {
  const hub = await startTarget('hub', await freePort());
  const records: ClientCostRecord[] = [];
  try {
    for (const side of SIDES) {
      const order = run % 2 === 1 ? CLIENTS : [...CLIENTS].reverse();
      for (const client of order)
        records.push(await measureOne(hub.url, side, client, params, run));
    }
  } finally {
    await hub.stop();
  }
  return records;
}

async function measureOne(
  url: string,
  side: ClientSide,
  client: ClientKind,
  params: ClientCostParams,
  run: number,
): Promise<ClientCostRecord> {
  const room = `cost-${side}-${client}-${run}`;
  const base = {
    url,
    room,
    rate: params.rate,
    payloadBytes: params.payloadBytes,
    warmupMs: params.warmupMs,
    durationMs: params.durationMs,
    tailMs: TAIL_MS,
  };
  const measured = new WorkerPool<ClientCostTask, ClientCostResult>(
    'client-cost-worker.js',
    params.clientNodeOptions,
  );
  const helper = new WorkerPool<ClientCostTask, ClientCostResult>('client-cost-worker.js');
  const timeoutMs = params.warmupMs + params.durationMs + 60_000;
  try {
    // The receiving end first: it is subscribed before anything is published.
    if (side === 'publish') {
      await helper.setUp([{ ...base, role: 'sink', client: 'raw' }]);
      await measured.setUp([{ ...base, role: 'publish', client }]);
    } else {
      await measured.setUp([{ ...base, role: 'receive', client }]);
      await helper.setUp([{ ...base, role: 'feed', client: 'raw' }]);
    }
    const [[mine], [theirs]] = await Promise.all([measured.run(timeoutMs), helper.run(timeoutMs)]);
    const [sender, receiver] = side === 'publish' ? [mine, theirs] : [theirs, mine];
    return {
      side,
      client,
      run,
      cpuPerEventUs: mine.cpuUs / Math.max(1, mine.events),
      eventsPerSec: (mine.events * 1000) / Math.max(1, mine.windowMs),
      published: sender.published,
      received: receiver.received,
      reordered: receiver.reordered,
      heldBack: sender.heldBack,
    };
  } finally {
    measured.stop();
    helper.stop();
  }
}
