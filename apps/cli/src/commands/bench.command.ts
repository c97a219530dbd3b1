import { Command, InvalidArgumentError } from 'commander';
import { MessengerClient } from '@ces/messenger';
import { badInput, hubError } from '../cli-error';
import { hubTarget, HubTarget } from '../hub-options';
import { openMessenger } from '../messenger-session';
import {
  BenchPlan,
  BenchResult,
  BenchTally,
  formatBenchResult,
  formatProgress,
  latencySummary,
} from '../bench-report';

const MAX_DURATION_S = 3600;
/** Events waiting in one publisher beyond which `--rate max` waits for the socket. */
const MAX_WAITING = 500;
/** After the last event is sent, how long deliveries still in flight are waited for. */
const DRAIN_MS = 2000;

interface BenchOptions {
  pub: number;
  sub: number;
  rooms: number;
  size: number;
  rate: number | 'max';
  duration: number;
  json?: boolean;
}

const whole = (what: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`${what}: a whole number from ${min} to ${max}`);
  return n;
};

function rate(value: string): number | 'max' {
  if (value === 'max') return 'max';
  return whole('events per second', 1, 10_000_000)(value);
}

function seconds(value: string): number {
  const s = Number(value);
  if (!Number.isFinite(s) || s <= 0 || s > MAX_DURATION_S)
    throw new InvalidArgumentError(`seconds, more than 0 and at most ${MAX_DURATION_S}`);
  return s;
}

const now = () => performance.now();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `ces bench`: load on a hub, as `nats bench` does. Publishers send events of a given size to
 * rooms, round robin, at a total rate (or as fast as the sockets take them) for a duration;
 * subscribers, spread over the rooms, receive them. It prints deliveries per second and the
 * latency from send to delivery (percentiles), with a progress line while it runs.
 */
export function benchCommand(): Command {
  return new Command('bench')
    .description('measure a hub: publishers, subscribers, rooms, payload size, rate, duration')
    .option('--pub <n>', 'publishers', whole('publishers', 0, 1000), 1)
    .option(
      '--sub <n>',
      'subscribers, spread evenly over the rooms',
      whole('subscribers', 0, 10_000),
      1,
    )
    .option('--rooms <n>', 'rooms the events go to, round robin', whole('rooms', 1, 10_000), 1)
    .option('--size <bytes>', 'bytes of each event', whole('bytes', 64, 1024 * 1024), 128)
    .option(
      '--rate <n|max>',
      'events per second, all publishers together, or max',
      rate,
      'max' as const,
    )
    .option('--duration <s>', `seconds of publishing (at most ${MAX_DURATION_S})`, seconds, 5)
    .option('--json', 'print the result as one JSON document')
    .action(async (options: BenchOptions, command: Command) => {
      if (options.pub === 0 && options.sub === 0) throw badInput('--pub and --sub are both 0');
      const result = await runBench(hubTarget(command), {
        publishers: options.pub,
        subscribers: options.sub,
        rooms: options.rooms,
        size: options.size,
        rate: options.rate,
        durationS: options.duration,
      });
      process.stdout.write(
        options.json ? `${JSON.stringify(result)}\n` : `${formatBenchResult(result)}\n`,
      );
    });
}

/** Connects everyone, checks every subscription is live, publishes, then drains and reports. */
export async function runBench(target: HubTarget, plan: BenchPlan): Promise<BenchResult> {
  const prefix = `bench-${process.pid}-${Date.now().toString(36)}`;
  const rooms = Array.from({ length: plan.rooms }, (_, i) => `${prefix}-${i}`);
  const subscribersPerRoom = rooms.map(
    (_, i) =>
      Math.floor(plan.subscribers / plan.rooms) + (i < plan.subscribers % plan.rooms ? 1 : 0),
  );
  const tally = new BenchTally();
  let measuring = false;
  const probesSeen = new Set<string>();

  const clients: MessengerClient[] = [];
  try {
    const subscribers = await Promise.all(
      Array.from({ length: plan.subscribers }, async (_, i) => {
        const session = openMessenger(target, [rooms[i % plan.rooms]]);
        clients.push(session.client);
        await session.ready;
        session.client.on('event', (_room: string, body: Buffer) => {
          const sentAt = sentTime(body);
          if (sentAt === undefined) probesSeen.add(`${i}`);
          else if (measuring) tally.deliver(now() - sentAt);
        });
        return session.client;
      }),
    );
    const prober = openMessenger(target);
    clients.push(prober.client);
    await prober.ready;
    const publishers = await Promise.all(
      Array.from({ length: plan.publishers }, async () => {
        const session = openMessenger(target);
        clients.push(session.client);
        await session.ready;
        return session.client;
      }),
    );
    await subscriptionsLive(prober.client, rooms, subscribers.length, probesSeen, target.timeoutMs);

    measuring = true;
    const progress = startProgress(plan, tally);
    const started = now();
    await publish(publishers, rooms, subscribersPerRoom, plan, tally);
    const publishedFor = (now() - started) / 1000;
    const drainUntil = now() + DRAIN_MS;
    while (tally.delivered < tally.expected && now() < drainUntil) await pause(20);
    progress.stop();
    return benchResult(plan, tally, publishedFor, (now() - started) / 1000);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

/** Sends one probe per room until every subscriber has seen one: then the hub routes to all. */
async function subscriptionsLive(
  sender: MessengerClient,
  rooms: string[],
  subscribers: number,
  seen: Set<string>,
  timeoutMs: number,
): Promise<void> {
  const deadline = now() + timeoutMs;
  while (seen.size < subscribers) {
    if (now() > deadline)
      throw hubError(
        `only ${seen.size} of ${subscribers} subscribers got events within ${timeoutMs} ms`,
      );
    for (const room of rooms) sender.send(room, '{"probe":true}');
    await pause(100);
  }
}

/** An event's payload: the time it was sent first, padded to the size asked for. */
function payload(size: number, sentAt: number): string {
  const head = `{"t":${sentAt.toFixed(3)},"pad":"`;
  return `${head}${'x'.repeat(Math.max(0, size - head.length - 2))}"}`;
}

/** When a bench event was sent (ms, performance clock); undefined for a probe. */
function sentTime(body: Buffer): number | undefined {
  if (body[2] !== 0x74) return undefined; // not {"t":
  const end = body.indexOf(0x2c, 5); // the comma after the time
  const value = Number(body.toString('latin1', 5, end));
  return Number.isFinite(value) ? value : undefined;
}

/** Publishes round robin over rooms and publishers, at the rate or as fast as sockets drain. */
async function publish(
  publishers: MessengerClient[],
  rooms: string[],
  subscribersPerRoom: number[],
  plan: BenchPlan,
  tally: BenchTally,
): Promise<void> {
  if (publishers.length === 0) {
    await pause(plan.durationS * 1000);
    return;
  }
  const started = now();
  const end = started + plan.durationS * 1000;
  let next = 0;
  const sendOne = () => {
    const publisher = publishers[next % publishers.length];
    const room = next % rooms.length;
    publisher.send(rooms[room], payload(plan.size, now()));
    tally.published++;
    tally.expected += subscribersPerRoom[room];
    next++;
  };
  while (now() < end) {
    if (plan.rate === 'max') {
      const busy = publishers.every((p) => p.stats().buffered >= MAX_WAITING);
      if (busy) await pause(1);
      else {
        for (let i = 0; i < 100; i++) sendOne();
        await new Promise((resolve) => setImmediate(resolve));
      }
    } else {
      const due = Math.floor(((now() - started) / 1000) * plan.rate) - tally.published;
      for (let i = 0; i < due; i++) sendOne();
      await pause(5);
    }
  }
  // What publishers still hold counts as sent once it has reached the sockets.
  const flushUntil = now() + DRAIN_MS;
  while (publishers.some((p) => p.stats().buffered > 0) && now() < flushUntil) await pause(10);
}

/** A progress line on stderr each second while the bench runs, rewritten in a terminal. */
function startProgress(plan: BenchPlan, tally: BenchTally): { stop(): void } {
  const terminal = process.stderr.isTTY === true;
  const started = now();
  let last = { at: started, delivered: 0 };
  const timer = setInterval(() => {
    const at = now();
    const rate = ((tally.delivered - last.delivered) * 1000) / (at - last.at);
    last = { at, delivered: tally.delivered };
    const line = formatProgress((at - started) / 1000, plan.durationS, tally, rate);
    process.stderr.write(terminal ? `\r\u001b[2K${line}` : `${line}\n`);
  }, 1000);
  return {
    stop() {
      clearInterval(timer);
      if (terminal) process.stderr.write('\r\u001b[2K');
    },
  };
}

function benchResult(
  plan: BenchPlan,
  tally: BenchTally,
  publishedFor: number,
  ranFor: number,
): BenchResult {
  return {
    ...plan,
    published: tally.published,
    expected: tally.expected,
    delivered: tally.delivered,
    lost: Math.max(0, tally.expected - tally.delivered),
    seconds: Math.round(ranFor * 1000) / 1000,
    publishedPerSecond: Math.round(tally.published / publishedFor),
    deliveriesPerSecond: Math.round(tally.delivered / publishedFor),
    latencyMs: latencySummary(tally.latenciesMs),
  };
}
