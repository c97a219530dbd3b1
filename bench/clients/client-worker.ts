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
  acknowledged: 0,
  reordered: 0,
  latencies: [],
  lastReceiptMs: 0,
  confirmed: 0,
  refused: 0,
  confirmLatencies: [],
  lastConfirmMs: 0,
};
let confirmSamplesSeen = 0;
let startedAt = 0;
let samplesSeen = 0;
/** How many of each publisher's events this worker's durable group members received. */
const receivedFrom = new Map<number, number>();

/** Counts a delivery, its latency (reservoir-sampled) and whether it came out of order. */
function subscriberHandler(countByPublisher = false): (room: string, payload: string) => void {
  const lastOfPublisher = new Map<number, number>();
  return (_room, payload) => {
    const { p, s, t } = JSON.parse(payload) as Payload;
    if (countByPublisher) receivedFrom.set(p, (receivedFrom.get(p) ?? 0) + 1);
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

const ackFlushers: (() => void)[] = [];

async function openSubscribers(task: BenchTask): Promise<void> {
  for (const [index, rooms] of task.subscribers.entries()) {
    const connection = await connect(task.protocol, task.subscriberUrls?.[index] ?? task.url);
    const handler = subscriberHandler(task.durableGroup !== undefined);
    if (!task.durableGroup) connection.onEvent(handler);
    else {
      const received = acknowledging(connection, task.durableGroup.ackEvery);
      connection.onEvent((room, payload) => {
        handler(room, payload);
        received();
      });
    }
    if (rooms.length > 0) await connection.subscribe(rooms, task.durableGroup?.name);
    connections.push(connection);
  }
}

/**
 * A durable group member acknowledges what it received: every `every` events, and what is
 * left once nothing more arrives (the flusher, run on a short timer and at the end).
 */
function acknowledging(connection: BenchConnection, every: number): () => void {
  let count = 0;
  let acked = 0;
  const flush = () => {
    if (count === acked) return;
    connection.ack(count);
    result.acknowledged += count - acked;
    acked = count;
  };
  ackFlushers.push(flush);
  return () => {
    if (++count - acked >= every) flush();
  };
}

function flushAcks(): void {
  for (const flush of ackFlushers) flush();
}

/**
 * A publisher and its probe: the probe subscribes to the publisher's rooms, so the
 * publisher knows how many of its events are still in flight and keeps that bounded. The
 * durable group members of this worker hold its publishers' rooms: what they received is the
 * measure, and a plain subscriber would only add deliveries the group does not make.
 */
async function preparePublisher(
  task: BenchTask,
  spec: PublisherTask,
): Promise<() => Promise<void>> {
  const publisher = await connect(task.protocol, spec.url ?? task.publishUrl ?? task.url);
  connections.push(publisher);
  let seenByProbe = 0;
  if (!task.durableGroup) {
    const probe = await connect(task.protocol, spec.url ?? task.url);
    connections.push(probe);
    probe.onEvent((_room, payload) => {
      if ((JSON.parse(payload) as Payload).p === spec.id) seenByProbe++;
    });
    await probe.subscribe(spec.rooms);
  }
  const confirms = spec.confirms ? confirmsOf(publisher, spec.id) : undefined;
  const inFlight = confirms
    ? (sequence: number) => sequence - confirms.settled()
    : task.durableGroup
      ? (sequence: number) => sequence - (receivedFrom.get(spec.id) ?? 0)
      : (sequence: number) => sequence - seenByProbe;
  const padding = 'x'.repeat(Math.max(0, task.payloadBytes - 60));
  return async () => {
    const deadline = startedAt + task.durationMs;
    let sequence = 0;
    const limit = spec.total ?? Infinity;
    const canSend = () =>
      inFlight(sequence) < spec.window && publisher.buffered() < MAX_SOCKET_BACKLOG;
    while (now() < deadline && sequence < limit) {
      const due = spec.rate > 0 ? Math.min(limit, ((now() - startedAt) * spec.rate) / 1000) : limit;
      let sent = 0;
      while (sequence < due && canSend() && sent++ < 64) {
        const room = spec.rooms[sequence % spec.rooms.length];
        confirms?.sent(sequence + 1);
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

/**
 * A publisher's confirms: when each sequence was sent, and on each cumulative confirm the
 * publish→confirm time of every event it covers (reservoir-sampled, as deliveries are).
 */
function confirmsOf(publisher: BenchConnection, id: number) {
  const sentAt = new Map<number, number>();
  let settled = 0;
  const settle = (upTo: number) => {
    const at = now();
    for (let seq = settled + 1; seq <= upTo; seq++) {
      const sent = sentAt.get(seq);
      sentAt.delete(seq);
      if (sent === undefined) continue;
      result.confirmed++;
      confirmSamplesSeen++;
      if (result.confirmLatencies.length < LATENCY_SAMPLES) result.confirmLatencies.push(at - sent);
      else if (Math.random() < LATENCY_SAMPLES / confirmSamplesSeen)
        result.confirmLatencies[Math.floor(Math.random() * LATENCY_SAMPLES)] = at - sent;
    }
    settled = Math.max(settled, upTo);
    result.lastConfirmMs = at - startedAt;
  };
  publisher.askConfirms(`bench-${process.pid}-${id}`, settle, (seq) => {
    if (sentAt.delete(seq)) result.refused++;
  });
  return {
    sent: (seq: number) => sentAt.set(seq, now()),
    settled: () => settled,
  };
}

/** Waits until nothing has arrived for a while: everything that will come has come. */
async function settle(): Promise<void> {
  let last = -1;
  const giveUp = Date.now() + 15_000;
  while (Date.now() < giveUp) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    const seen = result.received + result.confirmed;
    if (seen === last) return;
    last = seen;
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
  const ackTimer = ackFlushers.length > 0 ? setInterval(flushAcks, 20) : undefined;
  await Promise.all(runs.map((run) => run()));
  await settle();
  clearInterval(ackTimer);
  flushAcks();
  // The result can be large (every room's count); the worker leaves only once it has gone,
  // or a busy worker with thousands of sockets closing could exit with it still unsent.
  await new Promise<void>((sent) => process.send!({ type: 'result', result }, () => sent()));
  for (const connection of connections) connection.close();
  setTimeout(() => process.exit(0), 200).unref();
}

void main();
