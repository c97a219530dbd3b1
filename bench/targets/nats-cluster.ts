import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** Debian's nats-server, or where CES_NATS_SERVER_PATH says (as scripts/ensure-system-packages.sh). */
export const NATS_SERVER_BIN = process.env.CES_NATS_SERVER_PATH ?? '/usr/sbin/nats-server';

export interface NatsNode {
  name: string;
  /** nats://127.0.0.1:PORT, for HUB_NATS_SERVERS */
  url: string;
  /** http://127.0.0.1:PORT, the monitoring endpoint (/varz, /subsz, /connz, /routez) */
  monitorUrl: string;
  child: ChildProcess;
  /** SIGKILL, and waits until the process is gone. */
  kill(): Promise<void>;
  /** Starts it again, with the same ports and JetStream directory. */
  restart(): Promise<void>;
}

export interface NatsCluster {
  nodes: NatsNode[];
  /** Every node's client URL, comma-separated. */
  servers: string;
  /** Waits until every running node has a route to every other running one. */
  untilRouted(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `size` nats-server processes as one cluster with routes, JetStream in a temporary
 * directory each, on 127.0.0.1. The monitoring port is the system's choice (`-1`, read back
 * from the server's ports file); client and route ports are picked free first, as every
 * server must be told all routes and a restarted server must be found where it was.
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'ces-nats-'));
  const ports = await distinctFreePorts(size * 2);
  const plans = Array.from({ length: size }, (_, i) => ({
    name: `n${i + 1}`,
    clientPort: ports[i],
    routePort: ports[size + i],
  }));
  const routes = plans.map((plan) => `nats-route://127.0.0.1:${plan.routePort}`);
  const nodes: NatsNode[] = [];
  for (const plan of plans) nodes.push(await startNode(dir, plan, routes));
  const cluster: NatsCluster = {
    nodes,
    get servers() {
      return nodes.map((node) => node.url).join(',');
    },
    untilRouted: (timeoutMs = 10_000) => untilRouted(nodes, timeoutMs),
    stop: async () => {
      await Promise.all(nodes.map((node) => node.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.untilRouted();
  return cluster;
}

/** One server of the cluster: its name, and the ports it keeps across a restart. */
interface NodePlan {
  name: string;
  clientPort: number;
  routePort: number;
}

async function startNode(
  dir: string,
  { name, clientPort, routePort }: NodePlan,
  routes: string[],
): Promise<NatsNode> {
  const portsDir = join(dir, `${name}-ports`);
  const config = join(dir, `${name}.conf`);
  writeFileSync(
    config,
    [
      `server_name: ${name}`,
      'host: 127.0.0.1',
      // Kept across a restart, so clients configured with it find the server again.
      `port: ${clientPort}`,
      'http: "127.0.0.1:-1"',
      `ports_file_dir: "${portsDir}"`,
      `jetstream { store_dir: "${join(dir, `${name}-js`)}" }`,
      // no_advertise: a client knows only the servers it was given, so a test decides which
      // server a hub can reach.
      `cluster { name: ces-test, host: 127.0.0.1, port: ${routePort}, no_advertise: true, routes: [${routes.join(', ')}] }`,
    ].join('\n'),
  );
  const node = { name } as NatsNode;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  const launch = async () => {
    rmSync(portsDir, { recursive: true, force: true });
    mkdirSync(portsDir, { recursive: true });
    const child = spawn(NATS_SERVER_BIN, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    node.child = child;
    type Ports = { nats: string[]; monitoring: string[] };
    // The server creates the file before it writes it: read until it holds the whole JSON.
    const readPorts = (): Ports | undefined => {
      const file = readdirSync(portsDir).find((each) => each.endsWith('.ports'));
      if (file === undefined) return undefined;
      try {
        return JSON.parse(readFileSync(join(portsDir, file), 'utf8')) as Ports;
      } catch {
        return undefined;
      }
    };
    let ports: Ports | undefined;
    await waitFor(
      () => child.exitCode === null && (ports = readPorts()) !== undefined,
      `nats-server ${name} to start: ${output}`,
      10_000,
    );
    node.url = ports!.nats.find((url) => url.includes('127.0.0.1'))!;
    node.monitorUrl = ports!.monitoring.find((url) => url.includes('127.0.0.1'))!;
  };
  node.kill = async () => {
    if (node.child.exitCode === null && node.child.signalCode === null) {
      node.child.kill('SIGKILL');
      await exited;
    }
  };
  node.restart = async () => {
    await node.kill();
    await launch();
  };
  await launch();
  return node;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Every running node sees a route to each other running node. */
function untilRouted(nodes: NatsNode[], timeoutMs: number): Promise<void> {
  const running = () => nodes.filter((node) => node.child.exitCode === null && !node.child.killed);
  return waitFor(
    async () => {
      const up = running();
      const routes = await Promise.all(up.map((node) => monitor(node, 'routez')));
      if (!routes.every((routez) => (routez?.num_routes as number) >= up.length - 1)) return false;
      // JetStream has its meta leader: the servers have made their own subscriptions.
      const jsz = await Promise.all(up.map((node) => monitor(node, 'jsz')));
      return jsz.every((each) => Boolean((each?.meta_cluster as { leader?: string })?.leader));
    },
    'the NATS cluster to route and elect its JetStream leader',
    timeoutMs,
  );
}

/** One monitoring document of a node (`varz`, `subsz?subs=1`, `connz?subs=1`, `routez`). */
export async function monitor(
  node: NatsNode,
  path: string,
): Promise<Record<string, unknown> | undefined> {
  // A server that is starting (or being killed) may answer with nothing: not an answer yet.
  try {
    const response = await fetch(`${node.monitorUrl}/${path}`);
    return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `predicate` until it holds; fails with `what` after `timeoutMs`. */
async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
