import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

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
  return { child, output: () => output, exited };
}
