import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

// The real `ces` command, run as a user runs it: bin/ces.js, which loads the compiled CLI.
export const CES_BIN = join(__dirname, '..', '..', 'bin', 'ces.js');

export interface CesRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export interface CesRunOptions {
  /** Written to stdin, which is then closed. Without it stdin stays open. */
  input?: string;
  /** Added to the environment; CES_* and NO_COLOR are unset unless given here. */
  env?: Record<string, string>;
  /** Runs `ces` inside a pseudo-terminal (util-linux `script`), as a person at a terminal. */
  terminal?: boolean;
}

/** Starts `ces args…`; every run is added to `runs` so a test can end what it started. */
export function ces(args: string[], options: CesRunOptions = {}, runs: CesRun[] = []): CesRun {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(CES_|NO_COLOR$|FORCE_COLOR$)/.test(key)),
  );
  const command = [process.execPath, CES_BIN, ...args];
  const quoted = command.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = options.terminal
    ? spawn('script', ['-qfec', quoted, '/dev/null'], {
        env: { ...env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(command[0], command.slice(1), {
        env: { ...env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  if (options.input !== undefined) child.stdin!.end(options.input);
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  const run = { child, stdout: () => stdout, stderr: () => stderr, exited };
  runs.push(run);
  return run;
}

/** Runs `ces` to its end; resolves with its exit code and output. */
export async function cesDone(args: string[], options: CesRunOptions = {}, runs: CesRun[] = []) {
  const run = ces(args, options, runs);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Ends the runs a test left running. */
export async function endRuns(runs: CesRun[]): Promise<void> {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await run.exited;
  }
}
