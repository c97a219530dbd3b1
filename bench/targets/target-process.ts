import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TargetProtocol } from '../clients/adapters';

/**
 * `hub-audit` is the hub with its audit trail on, to measure what the trail costs;
 * `hub-memory` the hub keeping durable groups in memory only (`HUB_STORE=memory`);
 * `hub-no-interest` sends every event over every hub link (`HUB_LINK_INTEREST=false`);
 * `hub-alone` is one hub carrying what the interconnect scenario sends across a link, the
 * figure a link's throughput is measured against; `hub-cluster` is hubs in cluster mode, on a
 * NATS cluster the run starts; `nats` that NATS cluster alone, the clients speaking NATS;
 * `nest-relay` the relay inside the smallest Nest app, the framework's own cost.
 */
export type BuiltInTarget =
  | 'hub'
  | 'hub-alone'
  | 'hub-audit'
  | 'hub-memory'
  | 'hub-no-interest'
  | 'hub-cluster'
  | 'nats'
  | 'relay'
  | 'nest-relay'
  | 'socketio';

/** A built-in target, or one named by `--target-command NAME=COMMAND`. */
export type TargetName = BuiltInTarget | (string & {});

export interface RunningTarget {
  name: TargetName;
  protocol: TargetProtocol;
  port: number;
  pid: number;
  /** Where clients connect: ws:// for CES targets, http:// for Socket.IO. */
  url: string;
  httpUrl: string;
  stop(): Promise<void>;
}

export interface ProcessSample {
  cpuMs: number;
  rssBytes: number;
  peakRssBytes: number;
}

const ROOT = join(__dirname, '..', '..', '..');
const CLOCK_TICKS = 100;

const ENTRY: Record<BuiltInTarget, string> = {
  hub: join(ROOT, 'dist', 'apps', 'hub', 'main.js'),
  'hub-alone': join(ROOT, 'dist', 'apps', 'hub', 'main.js'),
  'hub-audit': join(ROOT, 'dist', 'apps', 'hub', 'main.js'),
  'hub-memory': join(ROOT, 'dist', 'apps', 'hub', 'main.js'),
  'hub-no-interest': join(ROOT, 'dist', 'apps', 'hub', 'main.js'),
  'hub-cluster': join(ROOT, 'dist', 'apps', 'hub', 'main.js'),
  // Started by the run as a NATS cluster, never from here.
  nats: '/usr/sbin/nats-server',
  relay: join(ROOT, 'dist', 'bench', 'targets', 'relay-server.js'),
  'nest-relay': join(ROOT, 'dist', 'bench', 'targets', 'nest-relay-server.js'),
  socketio: join(ROOT, 'dist', 'bench', 'targets', 'socketio-server.js'),
};

/**
 * Other hubs that speak the CES protocol, by name: the command that starts one, `{port}`
 * standing for the port it must listen on (it also gets HUB_PORT). An operator compares what
 * they run today — an original Go hub, say — with this hub in the same run.
 */
const COMMANDS = new Map<string, string>();

/** Takes `NAME=COMMAND` (from `--target-command`); says what is wrong with a bad one. */
export function addTargetCommand(spec: string): string {
  const match = /^([a-z][a-z0-9-]*)=(.+)$/i.exec(spec);
  if (!match) throw new Error(`--target-command takes NAME=COMMAND, not ${JSON.stringify(spec)}`);
  const [, name, command] = match;
  if (name in ENTRY) throw new Error(`--target-command: ${name} is a built-in target`);
  if (!command.includes('{port}'))
    throw new Error(`--target-command ${name}: the command must say where {port} goes`);
  COMMANDS.set(name, command);
  return name;
}

/** Whether a target is one of ours (the hub in its variants, the relay, Socket.IO). */
export function isBuiltIn(name: TargetName): name is BuiltInTarget {
  return name in ENTRY;
}

/** What the shell runs: `exec`, so that the target's pid is the shell's and /proc samples it. */
function commandLine(name: TargetName, port: number): string {
  if (isBuiltIn(name))
    return `exec "${process.execPath}" ${process.env.BENCH_TARGET_NODE_OPTIONS ?? ''} "${ENTRY[name]}" ${port}`;
  const command = COMMANDS.get(name);
  if (!command) throw new Error(`unknown target ${name} (give it with --target-command)`);
  return `exec ${command.replaceAll('{port}', String(port))}`;
}

/**
 * Ready when it answers HTTP: ours must answer /health with 200; another hub may have no
 * /health, so any answer on its port will do.
 */
async function answers(name: TargetName, httpUrl: string): Promise<boolean> {
  return fetch(`${httpUrl}/health`).then(
    (response) => response.ok || !isBuiltIn(name),
    () => false,
  );
}

/** Starts a target as its own production process, with room for many sockets. */
export async function startTarget(
  name: TargetName,
  port: number,
  env: Record<string, string> = {},
): Promise<RunningTarget> {
  // Each hub its own data directory: two hubs of one run must not share an id and a store,
  // and a run leaves nothing in the working directory.
  const ownDataDir =
    isBuiltIn(name) && name.startsWith('hub') && !env.HUB_DATA_DIR
      ? mkdtempSync(join(tmpdir(), 'ces-bench-hub-'))
      : undefined;
  const child: ChildProcess = spawn(
    'sh',
    ['-c', `ulimit -n 65536 2>/dev/null; ${commandLine(name, port)}`],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HUB_PORT: String(port),
        HUB_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        HUB_MAX_CONNECTIONS: '100000',
        HUB_MAX_CONNECTIONS_PER_ADDRESS: '100000',
        HUB_MAX_ROOMS_PER_PEER: '100000',
        ...(name === 'hub-audit'
          ? { HUB_AUDIT: join(tmpdir(), `ces-bench-audit-${port}.log`) }
          : {}),
        ...(ownDataDir ? { HUB_DATA_DIR: ownDataDir } : {}),
        ...(name === 'hub-memory' ? { HUB_STORE: 'memory' } : {}),
        ...(name === 'hub-no-interest' ? { HUB_LINK_INTEREST: 'false' } : {}),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const httpUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (!(await answers(name, httpUrl))) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`${name} did not start on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    name,
    protocol: name === 'socketio' ? 'socketio' : 'ces',
    port,
    pid: child.pid!,
    url: name === 'socketio' ? httpUrl : `ws://127.0.0.1:${port}`,
    httpUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGTERM first, so a target run with --cpu-prof writes its profile; SIGKILL if it lingers.
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }).then(() => {
        if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      }),
  };
}

/** CPU time and memory of a process, from /proc. */
export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) =>
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { cpuMs, rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}
