import { BenchTask, PublisherTask } from '../clients/bench-task';
import { TargetProtocol } from '../clients/adapters';

export type ScenarioName =
  | 'fanout'
  | 'fanout-stalled'
  | 'many-rooms'
  | 'latency'
  | 'connections'
  | 'interconnect'
  | 'durable'
  | 'mesh'
  | 'client'
  | 'confirms'
  | 'confirms-max'
  | 'cluster';

export const SCENARIOS: ScenarioName[] = [
  'fanout',
  'many-rooms',
  'latency',
  'connections',
  'interconnect',
  'durable',
  'mesh',
  'client',
  'confirms',
  'confirms-max',
  'cluster',
];

/** The durable group of the durable scenario, and how often its members acknowledge. */
export const DURABLE_GROUP = { name: 'bench-durable', ackEvery: 100 };

/** Hubs of the mesh scenario, every two linked. */
export const MESH_HUBS = 4;

/** Hubs of the cluster scenario: on a NATS cluster of as many servers, or in a native mesh. */
export const CLUSTER_HUBS = 3;

export interface ScenarioParams {
  durationMs: number;
  subscribers: number;
  rooms: number;
  publishers: number;
  rate: number;
  connections: number;
  burst: number;
  payloadBytes: number;
  workers: number;
  /** Subscribers that stop reading (fanout-stalled): do they slow the others? */
  stalled: number;
  /** The subscribers are members of one durable group holding every room, and acknowledge. */
  durable: boolean;
  /** Publishers ask for publish confirms: in flight is what the hub has not confirmed. */
  confirms: boolean;
}

/** The defaults of each scenario (flags override them). */
export function defaultParams(name: ScenarioName, smoke: boolean): ScenarioParams {
  const base = {
    durationMs: 10_000,
    payloadBytes: 200,
    workers: 2,
    rate: 0,
    connections: 0,
    burst: 0,
    stalled: 0,
    durable: false,
    confirms: false,
  };
  // Confirmed publishes into a durable group: each confirm waits for the store's write.
  const confirmed = {
    ...base,
    subscribers: 4,
    rooms: 10,
    publishers: 4,
    durable: true,
    confirms: true,
  };
  const byName: Record<ScenarioName, ScenarioParams> = {
    fanout: { ...base, subscribers: 100, rooms: 1, publishers: 1 },
    'fanout-stalled': { ...base, subscribers: 100, rooms: 1, publishers: 1, stalled: 1 },
    'many-rooms': { ...base, subscribers: 1000, rooms: 1000, publishers: 10 },
    latency: { ...base, subscribers: 1000, rooms: 1000, publishers: 10, rate: 5000 },
    connections: {
      ...base,
      subscribers: 10_000,
      rooms: 1000,
      publishers: 1,
      connections: 10_000,
      burst: 10_000,
      durationMs: 60_000,
    },
    interconnect: { ...base, subscribers: 200, rooms: 100, publishers: 4 },
    durable: { ...base, subscribers: 4, rooms: 10, publishers: 4, durable: true },
    mesh: { ...base, subscribers: 1000, rooms: 1000, publishers: 8 },
    // Each client publishes or receives 10,000 events/s, which the hub keeps up with beside the
    // other client and the helpers on two shared cores (bench/scenarios/client-cost.ts).
    client: { ...base, subscribers: 1, rooms: 1, publishers: 1, rate: 10_000, workers: 1 },
    confirms: { ...confirmed, rate: 5000 },
    'confirms-max': confirmed,
    cluster: { ...base, subscribers: 600, rooms: 600, publishers: 6 },
  };
  const params = byName[name];
  if (!smoke) return params;
  return {
    ...params,
    durationMs: 1000,
    subscribers: Math.min(params.subscribers, 20),
    rooms: Math.min(params.rooms, 10),
    publishers: Math.min(params.publishers, 2),
    rate: params.rate ? 500 : 0,
    connections: params.connections ? 200 : 0,
    burst: params.burst ? 200 : 0,
  };
}

const roomName = (index: number) => `room-${index}`;

/**
 * Splits a scenario over the client workers: subscribers round robin over the rooms (or, as
 * members of a durable group, holding the rooms of their worker's publishers), each publisher
 * owning a slice of the rooms, everything spread evenly over the workers.
 */
export function buildTasks(
  params: ScenarioParams,
  protocol: BenchTask['protocol'],
  url: string,
  publishUrl?: string,
): BenchTask[] {
  const tasks: BenchTask[] = Array.from({ length: params.workers }, () => ({
    protocol,
    url,
    publishUrl,
    subscribers: [],
    publishers: [],
    durationMs: params.durationMs,
    payloadBytes: params.payloadBytes,
    durableGroup: params.durable ? DURABLE_GROUP : undefined,
  }));
  // A durable group's members hold the rooms of their own worker's publishers: the group is
  // one, and what its members receive tells their worker's publishers what is in flight.
  const workerOfRoom = (i: number) => (i % params.publishers) % params.workers;
  const roomsOfWorker = (w: number) =>
    Array.from({ length: params.rooms }, (_, i) => i)
      .filter((i) => workerOfRoom(i) === w)
      .map(roomName);
  for (let i = 0; i < params.subscribers; i++) {
    const w = i % params.workers;
    tasks[w].subscribers.push(params.durable ? roomsOfWorker(w) : [roomName(i % params.rooms)]);
  }
  for (let i = 0; i < params.stalled; i++)
    (tasks[i % params.workers].stalled ??= []).push([roomName(i % params.rooms)]);
  for (let p = 0; p < params.publishers; p++) {
    const rooms = Array.from({ length: params.rooms }, (_, i) => i)
      .filter((i) => i % params.publishers === p)
      .map(roomName);
    const publisher: PublisherTask = {
      id: p,
      rooms,
      rate: params.rate > 0 ? params.rate / params.publishers : 0,
      window: params.burst > 0 || params.confirms ? 1000 : 200,
      total: params.burst > 0 ? Math.ceil(params.burst / params.publishers) : undefined,
      confirms: params.confirms || undefined,
    };
    tasks[p % params.workers].publishers.push(publisher);
  }
  return tasks;
}

/**
 * The mesh: each room's subscribers on one hub (the rooms in blocks, a block per hub),
 * publishers spread over the hubs, each publishing into rooms of every block. A publisher's
 * probe sits on its own hub, so the probes add no traffic between hubs.
 */
export function buildMeshTasks(
  params: ScenarioParams,
  hubUrls: string[],
  protocol: TargetProtocol = 'ces',
): BenchTask[] {
  const tasks = buildTasks(params, protocol, hubUrls[0]);
  const hubOfRoom = (room: string) =>
    Math.floor((Number(room.slice('room-'.length)) * hubUrls.length) / params.rooms);
  for (const task of tasks) {
    task.subscriberUrls = task.subscribers.map((rooms) => hubUrls[hubOfRoom(rooms[0])]);
    for (const publisher of task.publishers) publisher.url = hubUrls[publisher.id % hubUrls.length];
  }
  return tasks;
}

/** Rooms each hub of the mesh has local subscribers for (probes included), by hub URL. */
export function meshRoomsByHub(tasks: BenchTask[]): Map<string, Set<string>> {
  const byHub = new Map<string, Set<string>>();
  const add = (url: string, rooms: string[]) => {
    let held = byHub.get(url);
    if (!held) byHub.set(url, (held = new Set()));
    for (const room of rooms) held.add(room);
  };
  for (const task of tasks) {
    task.subscribers.forEach((rooms, i) => add(task.subscriberUrls![i], rooms));
    for (const publisher of task.publishers) add(publisher.url!, publisher.rooms);
  }
  return byHub;
}

/**
 * Deliveries a perfect target makes: each event times the subscribers of its room, or once
 * for a durable group (one member gets each).
 */
export function expectedDeliveries(
  tasks: BenchTask[],
  publishedByRoom: Record<string, number>,
): number {
  const subscribersOf = new Map<string, number>();
  for (const task of tasks)
    for (const rooms of task.subscribers)
      for (const room of rooms)
        subscribersOf.set(room, task.durableGroup ? 1 : (subscribersOf.get(room) ?? 0) + 1);
  return Object.entries(publishedByRoom).reduce(
    (sum, [room, count]) => sum + count * (subscribersOf.get(room) ?? 0),
    0,
  );
}
