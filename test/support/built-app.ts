import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '..', '..');

/** The compiled entry point of an app, built first if `npm test`'s pretest has not built it. */
export function builtApp(app: 'hub' | 'repeater' | 'cli'): string {
  const main = join(ROOT, 'dist', 'apps', app, 'main.js');
  if (!existsSync(main))
    execFileSync('npx', ['nest', 'build', app], { cwd: ROOT, stdio: 'ignore' });
  return main;
}

/** A port that was free a moment ago, for a child process that must be told its port. */
export { freePort } from '../../bench/targets/free-port';

export interface AppProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal: NodeJS.Signals): Promise<void>;
  /** Kills the process unless it has exited already, and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Runs a built app as its own process, with `env` added to this one's environment. A hub
 * keeps its durable store in memory unless `env` says otherwise: processes of one test run
 * share a working directory, and would share `./data` and its hub id.
 */
export function runApp(main: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, HUB_STORE: 'memory', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async (signal: NodeJS.Signals) => {
    child.kill(signal);
    await exited;
  };
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) await stop('SIGKILL');
  };
  return { child, output: () => output, exited, stop, close };
}

/**
 * Runs the built hub on 127.0.0.1:`port` with `env`, and waits until its /status answers.
 * A hub that could not start (say, its port was taken meanwhile) fails the wait with its output.
 */
export async function runHub(port: number, env: Record<string, string>): Promise<AppProcess> {
  const hub = runApp(builtApp('hub'), { HUB_PORT: String(port), HUB_HOST: '127.0.0.1', ...env });
  try {
    await waitFor(
      async () => {
        if (hub.child.exitCode !== null) throw new Error(`the hub exited:\n${hub.output()}`);
        return (await fetch(`http://127.0.0.1:${port}/status`).catch(() => undefined))?.ok === true;
      },
      `hub on ${port}\n${hub.output()}`,
      15_000,
    );
  } catch (error) {
    await hub.close();
    throw error;
  }
  return hub;
}
