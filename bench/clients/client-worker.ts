/**
 * A client process of the benchmark: opens the subscribers and publishers it is given,
 * publishes when told, and reports what it sent and received. The same code measures
 * every target.
 */
import { BenchConnection, connect } from './adapters';
import { BenchResult, BenchTask, PublisherTask } from './bench-task';

const LATENCY_SAMPLES = 50_000;
const MAX_SOCKET_BACKLOG = 1024 * 1024;
const now = () => performance.timeOrigin + performance.now();
const tick = () => new Promise((resolve) => setImmediate(resolve));

interface Payload {
  p: number;
  s: number;
  t: number;
}

const connections: BenchConnection[] = [];
const result: BenchResult = {
  published: 0,
  publishedByRoom: {},
  received: 0,
  reordered: 0,
  latencies: [],
  lastReceiptMs: 0,
};
let startedAt = 0;
let samplesSeen = 0;

/** Counts a delivery, its latency (reservoir-sampled) and whether it came out of order. */
function subscriberHandler(): (room: string, payload: string) => void {
  const lastOfPublisher = new Map<number, number>();
  return (_room, payload) => {
    const { p, s, t } = JSON.parse(payload) as Payload;
    if (s < (lastOfPublisher.get(p) ?? -1)) result.reordered++;
    lastOfPublisher.set(p, s);
    result.received++;
    result.lastReceiptMs = now() - startedAt;
    const latency = now() - t;
    samplesSeen++;
    if (result.latencies.length < LATENCY_SAMPLES) result.latencies.push(latency);
    else if (Math.random() < LATENCY_SAMPLES / samplesSeen) {
      result.latencies[Math.floor(Math.random() * LATENCY_SAMPLES)] = latency;
    }
  };
}

async function openStalled(task: BenchTask): Promise<void> {
  for (const rooms of task.stalled ?? []) {
    const connection = await connect(task.protocol, task.url);
    await connection.subscribe(rooms);
    connection.stall();
    connections.push(connection);
  }
}

async function openSubscribers(task: BenchTask): Promise<void> {
  for (const [index, rooms] of task.subscribers.entries()) {
    const connection = await connect(task.protocol, task.subscriberUrls?.[index] ?? task.url);
    connection.onEvent(subscriberHandler());
    if (rooms.length > 0) await connection.subscribe(rooms);
    connections.push(connection);
  }
}

/**
 * A publisher and its probe: the probe subscribes to the publisher's rooms, so the
 * publisher knows how many of its events are still in flight and keeps that bounded.
 */
async function preparePublisher(
  task: BenchTask,
  spec: PublisherTask,
): Promise<() => Promise<void>> {
  const publisher = await connect(task.protocol, spec.url ?? task.publishUrl ?? task.url);
  const probe = await connect(task.protocol, spec.url ?? task.url);
  connections.push(publisher, probe);
  let seenByProbe = 0;
  probe.onEvent((_room, payload) => {
    if ((JSON.parse(payload) as Payload).p === spec.id) seenByProbe++;
  });
  await probe.subscribe(spec.rooms);
  const padding = 'x'.repeat(Math.max(0, task.payloadBytes - 60));
  return async () => {
    const deadline = startedAt + task.durationMs;
    let sequence = 0;
    const limit = spec.total ?? Infinity;
    const canSend = () =>
      sequence - seenByProbe < spec.window && publisher.buffered() < MAX_SOCKET_BACKLOG;
    while (now() < deadline && sequence < limit) {
      const due = spec.rate > 0 ? Math.min(limit, ((now() - startedAt) * spec.rate) / 1000) : limit;
      let sent = 0;
      while (sequence < due && canSend() && sent++ < 64) {
        const room = spec.rooms[sequence % spec.rooms.length];
        publisher.publish(
          room,
          JSON.stringify({ p: spec.id, s: sequence++, t: now(), x: padding }),
        );
        result.published++;
        result.publishedByRoom[room] = (result.publishedByRoom[room] ?? 0) + 1;
      }
      if (spec.rate > 0 && sequence >= due) await new Promise((resolve) => setTimeout(resolve, 1));
      else await tick();
    }
  };
}

/** Waits until nothing has arrived for a while: everything that will come has come. */
async function settle(): Promise<void> {
  let last = -1;
  const giveUp = Date.now() + 15_000;
  while (Date.now() < giveUp) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    if (result.received === last) return;
    last = result.received;
  }
}

function nextMessage(): Promise<{ type: string; task?: BenchTask }> {
  return new Promise((resolve) => process.once('message', resolve));
}

async function main(): Promise<void> {
  const { task } = await nextMessage();
  await openSubscribers(task!);
  await openStalled(task!);
  const runs = [];
  for (const spec of task!.publishers) runs.push(await preparePublisher(task!, spec));
  process.send!({ type: 'ready' });
  await nextMessage();
  startedAt = now();
  await Promise.all(runs.map((run) => run()));
  await settle();
  process.send!({ type: 'result', result });
  for (const connection of connections) connection.close();
  setTimeout(() => process.exit(0), 200).unref();
}

void main();
