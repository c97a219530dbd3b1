/**
 * `npm run bench` (`--help` lists the flags): our hub, a bare `ws` relay and Socket.IO, driven by the same client
 * processes in the same run, in alternating order. Results go to bench/results/ as JSON and
 * as a markdown table of medians; `--docs` also writes docs/benchmarks.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WorkerPool } from './clients/worker-pool';
import { freePort } from './targets/free-port';
import { clientCostReport } from './report/client-cost-report';
import { markdownReport } from './report/markdown';
import { RunRecord } from './report/run-record';
import { percentile } from './report/statistics';
import {
  buildMeshTasks,
  buildTasks,
  CLUSTER_HUBS,
  defaultParams,
  expectedDeliveries,
  MESH_HUBS,
  meshRoomsByHub,
  ScenarioName,
  ScenarioParams,
  SCENARIOS,
} from './scenarios/scenarios';
import { ClientCostRecord, measureClientCost } from './scenarios/client-cost';
import { measureRecovery, RecoveryRecord, recoveryReport } from './scenarios/recovery';
import { BenchResult, BenchTask } from './clients/bench-task';
import { linkTraffic, LinkTraffic } from './targets/link-traffic';
import { monitor, NatsCluster, NatsNode, startNatsCluster } from './targets/nats-cluster';
import {
  addTargetCommand,
  RunningTarget,
  sampleProcess,
  startTarget,
  TargetName,
} from './targets/target-process';

const ROOT = join(__dirname, '..', '..');

/** What each flag does: printed by `--help` and written into docs/benchmarks.md. */
const FLAGS = `Flags: \`--scenario fanout|many-rooms|latency|connections|interconnect|durable|mesh|client|recovery|confirms|confirms-max|cluster|all\`, \`--targets hub,relay,socketio\`
(also \`nest-relay\`: the relay inside the smallest Nest app, what the framework alone costs),
\`--runs N\`, \`--duration S\`, \`--subscribers N\`, \`--rooms N\`, \`--publishers N\`, \`--rate EVENTS_PER_S\`, \`--workers N\` (client processes),
\`--target-command 'NAME=COMMAND'\` (repeatable: another hub that speaks the CES protocol, started by
its command with \`{port}\` where its port goes — say \`go-hub=/opt/ces/hub --port {port}\` — measured beside
ours in the plain scenarios, and in the durable and confirms ones too when named \`hub-…\` (another build of
this hub); it should \`exec\` one process, whose CPU and memory are read), \`--smoke\` (a few seconds, used by \`npm test\`), \`--docs\` (rewrite this file).`;

const { values: flags } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    scenario: { type: 'string', default: 'all' },
    targets: { type: 'string', default: 'hub,relay,socketio' },
    runs: { type: 'string', default: '3' },
    duration: { type: 'string' },
    subscribers: { type: 'string' },
    rooms: { type: 'string' },
    publishers: { type: 'string' },
    rate: { type: 'string' },
    workers: { type: 'string' },
    'target-command': { type: 'string', multiple: true },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    docs: { type: 'boolean', default: false },
  },
});

function paramsFor(name: ScenarioName): ScenarioParams {
  const params = defaultParams(name, flags.smoke!);
  const number = (value: string | undefined, fallback: number) =>
    value === undefined ? fallback : Number(value);
  return {
    ...params,
    durationMs: number(flags.duration, params.durationMs / 1000) * 1000,
    subscribers: number(flags.subscribers, params.subscribers),
    rooms: number(flags.rooms, params.rooms),
    publishers: number(flags.publishers, params.publishers),
    rate: number(flags.rate, params.rate),
    workers: number(flags.workers, params.workers),
  };
}

async function startTargets(
  name: TargetName,
  scenario: ScenarioName,
  env: Record<string, string>,
): Promise<RunningTarget[]> {
  if (scenario === 'mesh') return startMesh(name, MESH_HUBS);
  if (scenario === 'cluster') {
    if (name === 'hub-cluster') return startClusterHubs(true);
    if (name === 'nats') return startClusterHubs(false);
    return startMesh(name, CLUSTER_HUBS);
  }
  const first = await startTarget(name, await freePort(), env);
  if (scenario !== 'interconnect' || name === 'hub-alone') return [first];
  const second = await startTarget(name, await freePort());
  await linkTargets(first, second);
  return [first, second];
}

/** `from` dials `to`; 200 is fine too: the mesh may have linked them already. */
async function linkTargets(from: RunningTarget, to: RunningTarget): Promise<void> {
  const address = encodeURIComponent(`127.0.0.1:${to.port}`);
  const link = await fetch(`${from.httpUrl}/interconnect/${address}`, { method: 'POST' });
  if (!link.ok) throw new Error(`could not link the hubs: HTTP ${link.status}`);
}

/** One GET /status of a target, typed by what the caller reads of it. */
async function statusOf<T>(target: RunningTarget): Promise<T> {
  const response = await fetch(`${target.httpUrl}/status`);
  if (!response.ok) throw new Error(`GET /status: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/**
 * `count` hubs, every two linked (the earlier one dials), each link open. They keep no
 * store: hubs sharing a data directory would share one id.
 */
async function startMesh(name: TargetName, count: number): Promise<RunningTarget[]> {
  const hubs: RunningTarget[] = [];
  for (let i = 0; i < count; i++)
    hubs.push(await startTarget(name, await freePort(), { HUB_STORE: 'memory' }));
  for (const [i, from] of hubs.entries())
    for (const to of hubs.slice(i + 1)) await linkTargets(from, to);
  return hubs;
}

/** The NATS servers of a cluster run, as targets: their CPU counts, they are stopped with the hubs. */
const NATS_TARGET = 'nats';
const natsNodes = new WeakMap<RunningTarget, NatsNode>();

/**
 * A NATS cluster of CLUSTER_HUBS servers and, `withHubs`, as many hubs in cluster mode, each
 * on its own server: the hubs first, then the servers.
 */
async function startClusterHubs(withHubs: boolean): Promise<RunningTarget[]> {
  const nats: NatsCluster = await startNatsCluster(CLUSTER_HUBS);
  const hubs: RunningTarget[] = [];
  for (const node of withHubs ? nats.nodes : [])
    hubs.push(
      await startTarget('hub-cluster', await freePort(), {
        HUB_STORE: 'memory',
        HUB_NATS_SERVERS: node.url,
      }),
    );
  const servers = nats.nodes.map((node, i): RunningTarget => {
    const target: RunningTarget = {
      name: NATS_TARGET,
      protocol: 'ces',
      port: Number(new URL(node.url).port),
      pid: node.child.pid!,
      url: node.url,
      httpUrl: node.monitorUrl,
      // The last one removes the cluster's directory too.
      stop: i === nats.nodes.length - 1 ? () => nats.stop() : () => node.kill(),
    };
    natsNodes.set(target, node);
    return target;
  });
  return [...hubs, ...servers];
}

/**
 * Waits until each cluster hub holds a NATS subscription per room it has subscribers for, and
 * every NATS server's subscription count has stopped moving (their routes have told each
 * other), so no event is published before the interest it needs has spread.
 */
async function untilClusterInterest(
  targets: RunningTarget[],
  tasks: BenchTask[],
  withHubs: boolean,
): Promise<void> {
  const roomsOf = meshRoomsByHub(tasks);
  const deadline = Date.now() + 60_000;
  const check = (done: boolean) => {
    if (!done && Date.now() > deadline) throw new Error('the cluster interest did not settle');
    return done;
  };
  for (const hub of withHubs ? targets.filter((t) => t.name !== NATS_TARGET) : []) {
    while (
      !check(
        (await statusOf<ClusterStatus>(hub)).cluster?.subscriptions.rooms ===
          roomsOf.get(hub.url)?.size,
      )
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const nodes = targets.filter((t) => t.name === NATS_TARGET).map((t) => natsNodes.get(t)!);
  const counts = () =>
    Promise.all(nodes.map(async (node) => (await monitor(node, 'subsz'))?.num_subscriptions));
  let previous = await counts();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await counts();
    if (check(now.every((count, i) => count === previous[i]))) return;
    previous = now;
  }
}

interface ClusterStatus {
  cluster?: { subscriptions: { rooms: number } };
}

/**
 * What has crossed between the nodes of a cluster run so far: messages NATS delivered to the
 * hubs, and bytes of the hubs' NATS connections (both directions) and of the routes between
 * the servers (each direction once, at the sending server).
 */
async function clusterTraffic(
  targets: RunningTarget[],
  withClients: boolean,
): Promise<LinkTraffic> {
  let events = 0;
  let bytes = 0;
  for (const target of targets.filter((t) => t.name === NATS_TARGET)) {
    const node = natsNodes.get(target)!;
    const connz = (await monitor(node, 'connz?limit=1024')) as {
      connections?: { out_msgs: number; in_bytes: number; out_bytes: number }[];
    };
    for (const connection of withClients ? (connz.connections ?? []) : []) {
      events += connection.out_msgs;
      bytes += connection.in_bytes + connection.out_bytes;
    }
    // NATS alone: its clients are the bench's, so only the routes are between nodes.
    const routez = (await monitor(node, 'routez')) as {
      routes?: { out_msgs: number; out_bytes: number }[];
    };
    for (const route of routez.routes ?? []) {
      bytes += route.out_bytes;
      if (!withClients) events += route.out_msgs;
    }
  }
  return { events, bytes };
}

/**
 * Waits until every hub knows which rooms each other hub has subscribers for, so that no
 * event is published into a room whose subscription is still on its way between hubs.
 * With interest off, nothing is told and nothing needs waiting for.
 */
async function untilMeshInterestKnown(
  hubs: RunningTarget[],
  tasks: BenchTask[],
  target: TargetName,
): Promise<void> {
  if (target === 'hub-no-interest') return;
  const roomsOf = meshRoomsByHub(tasks);
  const hubIds = new Map<string, string>();
  for (const hub of hubs) hubIds.set((await statusOf<MeshStatus>(hub)).hubId, hub.url);
  const deadline = Date.now() + 60_000;
  for (const hub of hubs) {
    for (;;) {
      // Open links only: a crossed dial leaves a link in standby beside the open one.
      const open = (await statusOf<MeshStatus>(hub)).links.filter((link) => link.state === 'open');
      const told = open.every(
        (link) =>
          link.interest?.known === true &&
          link.interest.rooms === roomsOf.get(hubIds.get(link.remoteHubId!)!)?.size,
      );
      if (told && open.length === hubs.length - 1) break;
      if (Date.now() > deadline) throw new Error('the hubs did not learn each other’s rooms');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

interface MeshStatus {
  hubId: string;
  links: { state: string; remoteHubId?: string; interest?: { known: boolean; rooms: number } }[];
}

async function measure(
  scenario: ScenarioName,
  target: TargetName,
  run: number,
): Promise<RunRecord> {
  const params = paramsFor(scenario);
  // A durable run stores into a data directory of its own, removed afterwards.
  const dataDir = params.durable ? mkdtempSync(join(tmpdir(), 'ces-bench-store-')) : undefined;
  const pool = new WorkerPool();
  const targets: RunningTarget[] = [];
  try {
    targets.push(
      ...(await startTargets(target, scenario, dataDir ? { HUB_DATA_DIR: dataDir } : {})),
    );
    // Where clients connect: the hubs, or for NATS alone its servers.
    const natsAlone = target === 'nats';
    const hubs = natsAlone ? targets : targets.filter((t) => t.name !== NATS_TARGET);
    const [entry, exit] = [hubs[0], hubs[hubs.length - 1]];
    const before = targets.map((t) => sampleProcess(t.pid));
    const meshed = scenario === 'mesh' || scenario === 'cluster';
    const tasks = meshed
      ? buildMeshTasks(
          params,
          hubs.map((t) => t.url),
          natsAlone ? 'nats' : 'ces',
        )
      : buildTasks(
          params,
          entry.protocol,
          exit.url,
          scenario === 'interconnect' ? entry.url : undefined,
        );
    await Promise.race([
      pool.setUp(tasks),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error('clients did not connect within 180 s')),
          180_000,
        ).unref(),
      ),
    ]);
    const onNats = target === 'hub-cluster' || natsAlone;
    const traffic = () => (onNats ? clusterTraffic(targets, !natsAlone) : linkTraffic(hubs));
    if (onNats) await untilClusterInterest(targets, tasks, !natsAlone);
    else if (meshed) await untilMeshInterestKnown(hubs, tasks, target);
    const linksBefore = meshed ? await traffic() : undefined;
    const connected = targets.map((t) => sampleProcess(t.pid));
    const results = await pool.run(params.durationMs + 60_000);
    const after = targets.map((t) => sampleProcess(t.pid));
    const linksAfter = linksBefore ? await traffic() : undefined;

    const publishedByRoom: Record<string, number> = {};
    for (const result of results)
      for (const [room, n] of Object.entries(result.publishedByRoom))
        publishedByRoom[room] = (publishedByRoom[room] ?? 0) + n;
    const published = results.reduce((sum, r) => sum + r.published, 0);
    const received = results.reduce((sum, r) => sum + r.received, 0);
    const expected = expectedDeliveries(tasks, publishedByRoom);
    const elapsedMs = Math.max(...results.map((r) => r.lastReceiptMs), 1);
    const latencies = results.flatMap((r) => r.latencies);
    const cpuMs = after.reduce((sum, s, i) => sum + s.cpuMs - connected[i].cpuMs, 0);
    const record: RunRecord = {
      scenario,
      target,
      run,
      deliveriesPerSec: (received * 1000) / elapsedMs,
      publishPerSec: (published * 1000) / Math.min(elapsedMs, params.durationMs),
      published,
      expected,
      received,
      lost: expected - received,
      reordered: results.reduce((sum, r) => sum + r.reordered, 0),
      latencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: Math.max(...latencies),
      },
      serverPeakRssMiB: Math.max(...after.map((s) => s.peakRssBytes)) / 2 ** 20,
      serverStartRssMiB: before[0].rssBytes / 2 ** 20,
      // Probes see each event once more: that is server work too.
      cpuPerDeliveryUs: (cpuMs * 1000) / Math.max(1, received + published),
    };
    if (params.durable) {
      record.acknowledged = await acknowledgedByHub(entry, received);
      Object.assign(record, await storeOutcome(entry));
    }
    if (params.confirms) Object.assign(record, confirmOutcome(results));
    if (linksBefore && linksAfter) {
      record.linkEventsPerDelivery = (linksAfter.events - linksBefore.events) / received;
      record.linkBytesPerDelivery = (linksAfter.bytes - linksBefore.bytes) / received;
    }
    if (scenario === 'connections') {
      record.rssPerConnectionKiB =
        (connected[0].rssBytes - before[0].rssBytes) /
        1024 /
        (params.subscribers + 2 * params.publishers);
      record.burstMs = elapsedMs;
    }
    return record;
  } finally {
    pool.stop();
    for (const t of targets) await t.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What the publishers saw of publish confirms: rate, publish→confirm times, refusals. */
function confirmOutcome(results: BenchResult[]): Partial<RunRecord> {
  const latencies = results.flatMap((r) => r.confirmLatencies);
  const confirmed = results.reduce((sum, r) => sum + r.confirmed, 0);
  const elapsedMs = Math.max(...results.map((r) => r.lastConfirmMs), 1);
  return {
    confirmedPerSec: (confirmed * 1000) / elapsedMs,
    confirmP50Ms: percentile(latencies, 50),
    confirmP99Ms: percentile(latencies, 99),
    refused: results.reduce((sum, r) => sum + r.refused, 0),
  };
}

interface DurableStatus {
  totals: { groups: Record<string, number> };
  store: { kind: string; writable: boolean };
}

/**
 * The acknowledgements the hub has processed, once it has seen all `expected` of them (the
 * members' last acks may still be on their way) or 10 s have passed.
 */
async function acknowledgedByHub(target: RunningTarget, expected: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const acknowledged = (await statusOf<DurableStatus>(target)).totals.groups.acknowledged ?? 0;
    if (acknowledged >= expected || Date.now() > deadline) return acknowledged;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Where the hub kept the run's durable events, whether it could write them throughout, and
 * how many it committed to the store (an event acknowledged within the turn it arrived in is
 * never written: this says how many the run really stored).
 */
async function storeOutcome(target: RunningTarget): Promise<{ store: string; stored: number }> {
  const { store, totals } = await statusOf<DurableStatus>(target);
  return {
    store: store.writable ? store.kind : `${store.kind} (not writable)`,
    stored: totals.groups.stored ?? 0,
  };
}

/** The targets of a scenario: only hubs link or keep durable groups; Socket.IO cannot stall. */
function targetsOf(scenario: ScenarioName, requested: TargetName[]): TargetName[] {
  // Another hub by its command takes the scenarios of the plain protocol only, unless it is
  // named `hub-…`: a build of this hub (an older one, to compare with), which takes them all.
  const hubs = requested.filter((target) => target.startsWith('hub'));
  // A link's throughput is measured against one hub carrying the same traffic.
  if (scenario === 'interconnect')
    return hubs.includes('hub') && !hubs.includes('hub-alone') ? [...hubs, 'hub-alone'] : hubs;
  // The durable and confirms scenarios compare the default store with keeping durable events in memory.
  if (scenario === 'durable' || scenario === 'confirms' || scenario === 'confirms-max')
    return hubs.includes('hub') && !hubs.includes('hub-memory') ? [...hubs, 'hub-memory'] : hubs;
  // The mesh compares the hub with and without interest across links.
  if (scenario === 'mesh') return ['hub', 'hub-no-interest'];
  // The cluster compares hubs on NATS with hubs in the native mesh.
  if (scenario === 'cluster') return ['hub', 'hub-cluster', 'nats'];
  if (scenario === 'fanout-stalled') return requested.filter((target) => target !== 'socketio');
  return requested;
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
}

async function main(): Promise<void> {
  if (flags.help) return void process.stdout.write(`npm run bench -- [flags]\n\n${FLAGS}\n`);
  // The recovery scenario measures a resume, not a flow: it has a runner and a table of its own.
  const recovery = !flags.smoke && ['all', 'recovery'].includes(flags.scenario!);
  const scenarios = flags.smoke
    ? (['fanout', 'many-rooms', 'durable'] as ScenarioName[])
    : flags.scenario === 'all'
      ? SCENARIOS
      : flags.scenario === 'recovery'
        ? []
        : [flags.scenario as ScenarioName];
  const commanded = (flags['target-command'] ?? []).map(addTargetCommand);
  // A commanded target named in --targets too is measured once, not twice a run.
  const targets = [
    ...new Set([...flags.targets!.split(',').filter(Boolean), ...commanded]),
  ] as TargetName[];
  const runs = flags.smoke ? 1 : Number(flags.runs);
  const records: RunRecord[] = [];
  const clientRecords: ClientCostRecord[] = [];
  const failures: string[] = [];
  for (const scenario of scenarios) {
    for (let run = 1; run <= runs; run++) {
      if (scenario === 'client') {
        await measureClientRun(run, clientRecords, failures);
        continue;
      }
      // Alternate the order, so no target always runs on a warmer or cooler machine.
      const ofScenario = targetsOf(scenario, targets);
      const order = run % 2 === 1 ? ofScenario : [...ofScenario].reverse();
      for (const target of order) {
        let record: RunRecord;
        try {
          record = await measure(scenario, target, run);
        } catch (error) {
          // One target failing a scenario (say, Socket.IO at 10,000 sockets) is a result too.
          failures.push(`${scenario} ${target} run ${run}: ${(error as Error).message}`);
          console.error(failures[failures.length - 1]);
          continue;
        }
        records.push(record);
        const acked =
          (record.acknowledged === undefined ? '' : `, acknowledged ${record.acknowledged}`) +
          (record.confirmedPerSec === undefined
            ? ''
            : `, ${record.confirmedPerSec.toFixed(0)} confirmed/s, confirm p99 ${record.confirmP99Ms!.toFixed(2)} ms`);
        console.log(
          `${scenario} ${target} run ${run}: ${record.deliveriesPerSec.toFixed(0)} deliveries/s, lost ${record.lost}${acked}, p99 ${record.latencyMs.p99.toFixed(2)} ms`,
        );
      }
    }
  }
  const recoveries: RecoveryRecord[] = [];
  for (let run = 1; recovery && run <= runs; run++) {
    for (const store of ['sqlite', 'memory'] as const) {
      try {
        const record = await measureRecovery(run, store);
        recoveries.push(record);
        console.log(
          `recovery ${store} run ${run}: ${record.events} events in ${record.recoverMs.toFixed(1)} ms`,
        );
      } catch (error) {
        failures.push(`recovery ${store} run ${run}: ${(error as Error).message}`);
        console.error(failures[failures.length - 1]);
      }
    }
  }
  const report =
    (records.length ? markdownReport(records) : '') +
    clientCostReport(clientRecords) +
    recoveryReport(recoveries) +
    (failures.length ? `\nFailed runs:\n\n${failures.map((f) => `- ${f}`).join('\n')}\n` : '');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = flags.out ?? join(ROOT, 'bench', 'results', `${stamp}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      { machine: machine(), flags, records, clientRecords, recoveries, failures },
      null,
      2,
    ),
  );
  console.log(`\n${report}\nresults: ${out}`);
  if (flags.docs) writeDocs(report);
}

/**
 * One run of the `client` scenario: the messenger client and a bare `ws` socket, publishing
 * and receiving, each at the scenario's rate (`--rate`), for `--duration` after a warm-up.
 */
async function measureClientRun(
  run: number,
  into: ClientCostRecord[],
  failures: string[],
): Promise<void> {
  const params = paramsFor('client');
  try {
    const records = await measureClientCost(
      {
        rate: params.rate,
        payloadBytes: params.payloadBytes,
        warmupMs: flags.smoke ? 500 : 2000,
        durationMs: params.durationMs,
        clientNodeOptions: process.env.BENCH_CLIENT_NODE_OPTIONS ?? '',
      },
      run,
    );
    into.push(...records);
    for (const r of records)
      console.log(
        `client ${r.side} ${r.client} run ${run}: ${r.cpuPerEventUs.toFixed(2)} µs/event at ${r.eventsPerSec.toFixed(0)} events/s, ` +
          `received ${r.received} of ${r.published}, held back ${r.heldBack}`,
      );
  } catch (error) {
    failures.push(`client run ${run}: ${(error as Error).message}`);
    console.error(failures[failures.length - 1]);
  }
}

function writeDocs(report: string): void {
  const text = `# Benchmarks

Measured by \`npm run bench\` (bench/): the built hub in production mode as its own process, a
minimal CES relay on plain \`ws\` (bench/targets/relay-server.ts: the routing rules and nothing
else, a reference point rather than an upper bound) and a Socket.IO server with rooms (bench/targets/socketio-server.ts),
driven by the same client processes (bench/clients/) on loopback, in alternating order.
Each cell is the median over runs, with min–max; ratios are computed within each run.

Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.

${report}

## Reproduce

\`\`\`sh
npm run bench                                  # every scenario, 3 runs, all targets
npm run bench -- --scenario fanout --runs 5    # one scenario
npm run bench -- --scenario latency --rate 5000 --duration 10
\`\`\`

${FLAGS}
Publishers keep at most 200 events in flight each (a probe connection per publisher sees them
arrive; in the durable scenario the group's members count them, and there is no probe), so "as
fast as the target sustains" is measured without unbounded queues. CPU per delivery counts the
server process's user+system time over the run, divided by deliveries (probe deliveries included,
for every target alike; in the durable scenario, by events in plus events out).
In \`confirms\` (5,000 events/s) and \`confirms-max\` (as fast as confirmed) the publishers ask for
publish confirms and publish into a durable group's rooms; at most 1,000 events each are
unconfirmed, and "confirm" times run from the publish to the hub's cumulative confirm covering it.
`;
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), text);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
