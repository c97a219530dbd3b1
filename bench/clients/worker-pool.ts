import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { BenchResult, BenchTask } from './bench-task';

/**
 * Client worker processes, one per task: set up, started together, results gathered.
 * `script` is the worker's file next to this one (the `client` scenario has its own), run
 * with `nodeOptions` (say, `--cpu-prof` to profile a client).
 */
export class WorkerPool<Task = BenchTask, Result = BenchResult> {
  private readonly workers: ChildProcess[] = [];

  constructor(
    private readonly script = 'client-worker.js',
    private readonly nodeOptions = '',
  ) {}

  async setUp(tasks: Task[]): Promise<void> {
    const ready = tasks.map((task) => {
      // Through sh, to raise the open-files limit: a worker may hold thousands of sockets.
      const script = `ulimit -n 65536 2>/dev/null; exec "${process.execPath}" ${this.nodeOptions} "${join(__dirname, this.script)}"`;
      const worker = spawn('sh', ['-c', script], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.workers.push(worker);
      const isReady = this.next(worker, 'ready');
      worker.send({ type: 'setup', task });
      return isReady;
    });
    await Promise.all(ready);
  }

  async run(timeoutMs: number): Promise<Result[]> {
    const results = this.workers.map((worker) => this.next(worker, 'result'));
    for (const worker of this.workers) worker.send({ type: 'start' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return (await Promise.race([Promise.all(results), timeout])).map(
        (message) => message.result as Result,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Gives the workers `graceMs` to exit on their own (a profiled one writes its profile), then stops them. */
  async stopWhenExited(graceMs: number): Promise<void> {
    const exited = (worker: ChildProcess) =>
      new Promise<void>((resolve) => {
        if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
        worker.once('exit', () => resolve());
        setTimeout(resolve, graceMs).unref();
      });
    await Promise.all(this.workers.map(exited));
    this.stop();
  }

  stop(): void {
    for (const worker of this.workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  }

  private next(worker: ChildProcess, type: string): Promise<{ type: string; result?: Result }> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: { type: string; result?: Result }) => {
        if (message.type !== type) return;
        worker.off('message', onMessage);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('exit', (code) =>
        reject(new Error(`client worker exited (${code}) before "${type}"`)),
      );
    });
  }
}
