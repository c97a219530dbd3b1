import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TargetProtocol } from '../clients/adapters';

/**
 * `hub-audit` is the hub with its audit trail on, to measure what the trail costs;
 * `hub-no-interest` sends every event over every hub link (`HUB_LINK_INTEREST=false`).
 */
export type TargetName = 'hub' | 'hub-audit' | 'hub-no-interest' | 'relay' | 'socketio';

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

const ENTRY: Record<TargetName, string> = {
  hub: join(ROOT, 'dist', 'apps', 'hub', 'main.js'),
  'hub-audit': join(ROOT, 'dist', 'apps', 'hub', 'main.js'),
  'hub-no-interest': join(ROOT, 'dist', 'apps', 'hub', 'main.js'),
  relay: join(ROOT, 'dist', 'bench', 'targets', 'relay-server.js'),
  socketio: join(ROOT, 'dist', 'bench', 'targets', 'socketio-server.js'),
};

/** Starts a target as its own production process, with room for many sockets. */
export async function startTarget(
  name: TargetName,
  port: number,
  env: Record<string, string> = {},
): Promise<RunningTarget> {
  const child: ChildProcess = spawn(
    'sh',
    [
      '-c',
      `ulimit -n 65536 2>/dev/null; exec "${process.execPath}" ${process.env.BENCH_TARGET_NODE_OPTIONS ?? ''} "${ENTRY[name]}" ${port}`,
    ],
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
        ...(name === 'hub-no-interest' ? { HUB_LINK_INTEREST: 'false' } : {}),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const httpUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (
    !(await fetch(`${httpUrl}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
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
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGTERM first, so a target run with --cpu-prof writes its profile; SIGKILL if it lingers.
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
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
