import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { BenchResult, BenchTask } from './bench-task';

/** Client worker processes, one per task: set up, started together, results gathered. */
export class WorkerPool {
  private readonly workers: ChildProcess[] = [];

  async setUp(tasks: BenchTask[]): Promise<void> {
    const ready = tasks.map((task) => {
      // Through sh, to raise the open-files limit: a worker may hold thousands of sockets.
      const script = `ulimit -n 65536 2>/dev/null; exec "${process.execPath}" "${join(__dirname, 'client-worker.js')}"`;
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

  async run(timeoutMs: number): Promise<BenchResult[]> {
    const results = this.workers.map((worker) => this.next(worker, 'result'));
    for (const worker of this.workers) worker.send({ type: 'start' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return (await Promise.race([Promise.all(results), timeout])).map(
        (message) => message.result as BenchResult,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  stop(): void {
    for (const worker of this.workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  }

  private next(
    worker: ChildProcess,
    type: string,
  ): Promise<{ type: string; result?: BenchResult }> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: { type: string; result?: BenchResult }) => {
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
