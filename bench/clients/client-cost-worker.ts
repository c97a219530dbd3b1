/**
 * A client process of the `client` scenario: what one client costs per event, on its own
 * CPU. The measured roles publish or receive through the Node `MessengerClient` or through a
 * bare `ws` socket doing the same work by hand; the helper roles (a raw feeder and a raw sink)
 * give the measured side its traffic and check that the hub kept up. Built by webpack (the
 * messenger is bundled as the apps bundle it), not by bench/tsconfig.json.
 */
import { MessengerClient } from '@ces/messenger';
import { WebSocket } from 'ws';
import { ClientCostResult, ClientCostTask } from './client-cost-task';

const now = () => performance.now();

/** The event every side publishes: ~200 bytes of JSON, like the other scenarios'. */
interface SampleEvent {
  p: number;
  s: number;
  t: number;
  x: string;
}

/** What a receiving side does with each event: counts it and checks its order. */
class Tally {
  received = 0;
  reordered = 0;
  private last = -1;

  note(event: SampleEvent): void {
    if (event.s < this.last) this.reordered++;
    this.last = event.s;
    this.received++;
  }
}

/** One side's socket, whichever client it is. */
interface CostClient {
  publish(room: string, event: SampleEvent): void;
  /** Bytes accepted and not yet written: publishers hold back above a bound. */
  buffered(): number;
  /** Closes with the websocket close handshake: what was sent before it reaches the hub. */
  close(): Promise<void>;
}

/** The close frame follows every frame queued before it; resolves once the hub has answered. */
function closeRaw(socket: WebSocket): Promise<void> {
  return new Promise((closed) => {
    socket.once('close', () => closed());
    socket.close();
  });
}

function openRaw(url: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url}/connect/messenger`, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => resolve(socket));
  });
}

/** Subscribes a raw socket; resolves once the hub has read the subscription (ping after it). */
function subscribeRaw(socket: WebSocket, room: string): Promise<void> {
  return new Promise((done) => {
    socket.send(JSON.stringify({ rooms: [room], create: true }));
    socket.once('pong', () => done());
    socket.ping();
  });
}

/** A bare `ws` socket: the frame built by hand, `ROOM\n` and the event's JSON. */
async function rawPublisher(url: string): Promise<CostClient> {
  const socket = await openRaw(url);
  return {
    publish: (room, event) =>
      socket.send(Buffer.from(`${room}\n${JSON.stringify(event)}`), { binary: true }),
    buffered: () => socket.bufferedAmount,
    close: () => closeRaw(socket),
  };
}

/** A bare `ws` socket receiving: the room line split off, the event JSON-parsed. */
async function rawReceiver(url: string, room: string, tally: Tally): Promise<CostClient> {
  const socket = await openRaw(url);
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    const newline = data.indexOf(10);
    const eventRoom = data.toString('utf8', 0, newline);
    const event = JSON.parse(data.toString('utf8', newline + 1)) as SampleEvent;
    if (eventRoom === room) tally.note(event);
  });
  await subscribeRaw(socket, room);
  return { publish: () => undefined, buffered: () => 0, close: () => closeRaw(socket) };
}

/** The messenger as a user would write it: `send(room, event)`, an `onEvent` handler. */
async function messengerClient(url: string, rooms: string[], tally?: Tally): Promise<CostClient> {
  const client = new MessengerClient<SampleEvent>({ hubUrl: url, rooms, name: 'bench-cost' });
  if (tally)
    client.onEvent((room, event) => {
      if (room === rooms[0]) tally.note(event);
    });
  await client.connect();
  return {
    publish: (room, event) => client.send(room, event),
    buffered: () => client.stats().bufferedBytes,
    close: () => client.close(),
  };
}

const MAX_BACKLOG_BYTES = 1024 * 1024;
/** Events go out in a batch every few milliseconds: the timer's cost is the harness's, not the client's. */
const BATCH_INTERVAL_MS = 5;

/**
 * Publishes `rate` events per second until `endsAt`, a batch per timer, holding
 * back a batch while the client has a backlog (batches held back mean the hub fell behind,
 * reported as such).
 */
async function publishAtRate(
  client: CostClient,
  task: ClientCostTask,
  startedAt: number,
  endsAt: number,
  sent: { count: number; heldBack: number },
): Promise<void> {
  const padding = 'x'.repeat(Math.max(0, task.payloadBytes - 60));
  while (now() < endsAt) {
    const due = ((now() - startedAt) * task.rate) / 1000;
    // Checked once a batch, not per event: the check is the harness's cost, not the client's.
    if (sent.count < due && client.buffered() > MAX_BACKLOG_BYTES) sent.heldBack++;
    else
      while (sent.count < due)
        client.publish(task.room, { p: 0, s: sent.count++, t: Date.now(), x: padding });
    await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS));
  }
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Samples the CPU and a counter at the start and at the end of the measured window. */
async function measureWindow(
  task: ClientCostTask,
  count: () => number,
  startedAt: number,
): Promise<{ events: number; cpuUs: number; windowMs: number }> {
  await sleepUntil(startedAt + task.warmupMs);
  const [cpu0, count0, t0] = [cpuMicros(), count(), now()];
  await sleepUntil(startedAt + task.warmupMs + task.durationMs);
  return { events: count() - count0, cpuUs: cpuMicros() - cpu0, windowMs: now() - t0 };
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - now())));
}

/** Once nothing has arrived for 400 ms (at most 10 s): everything that will come has come. */
async function settle(tally: Tally): Promise<void> {
  let last = -1;
  const giveUp = now() + 10_000;
  while (tally.received !== last && now() < giveUp) {
    last = tally.received;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

async function prepare(task: ClientCostTask): Promise<() => Promise<ClientCostResult>> {
  const tally = new Tally();
  const empty = { events: 0, cpuUs: 0, windowMs: 0 };
  if (task.role === 'sink' || task.role === 'receive') {
    const client =
      task.client === 'messenger'
        ? await messengerClient(task.url, [task.room], tally)
        : await rawReceiver(task.url, task.room, tally);
    return async () => {
      const startedAt = now();
      const measured =
        task.role === 'receive'
          ? await measureWindow(task, () => tally.received, startedAt)
          : empty;
      // The other end publishes for warmup + window + tail: wait for all of it, then for stragglers.
      await sleepUntil(startedAt + task.warmupMs + task.durationMs + task.tailMs);
      await settle(tally);
      await client.close();
      return { ...measured, published: 0, heldBack: 0, ...tally };
    };
  }
  const client =
    task.client === 'messenger'
      ? await messengerClient(task.url, [])
      : await rawPublisher(task.url);
  return async () => {
    const startedAt = now();
    const sent = { count: 0, heldBack: 0 };
    const endsAt = startedAt + task.warmupMs + task.durationMs + task.tailMs;
    const publishing = publishAtRate(client, task, startedAt, endsAt, sent);
    const measured =
      task.role === 'publish' ? await measureWindow(task, () => sent.count, startedAt) : empty;
    await publishing;
    // Drained, then closed with the handshake: the hub reads every event before the close.
    while (client.buffered() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await client.close();
    return {
      ...measured,
      published: sent.count,
      heldBack: sent.heldBack,
      received: 0,
      reordered: 0,
    };
  };
}

function nextMessage(): Promise<{ type: string; task?: ClientCostTask }> {
  return new Promise((resolve) => process.once('message', resolve));
}

async function main(): Promise<void> {
  const { task } = await nextMessage();
  const run = await prepare(task!);
  process.send!({ type: 'ready' });
  await nextMessage();
  const result = await run();
  process.send!({ type: 'result', result });
  setTimeout(() => process.exit(0), 200).unref();
}

void main();
