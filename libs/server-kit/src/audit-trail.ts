import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createStream } from 'rotating-file-stream';
import { BoundedQueue } from '@ces/protocol';

export interface AuditOptions {
  /** '' (off), 'stdout', or a file path. */
  target: string;
  /** Rotate the file when it reaches this size; 0 never rotates. */
  maxBytes: number;
  /** Rotated files kept. */
  maxFiles: number;
  /** Lines waiting for the writer; beyond it new lines are dropped and counted. */
  queueLimit: number;
}

/** One line of the audit trail; `describe` runs on the writer's turn, off the routing path. */
export type AuditEntry = Record<string, unknown> | (() => Record<string, unknown>);

/**
 * The audit trail: one JSON line per event entering the system and per refusal, written
 * asynchronously. It never holds up its caller: lines wait in a bounded queue, and when
 * the writer falls behind the newest are dropped and counted.
 */
export class AuditTrail {
  private readonly queue: BoundedQueue<AuditEntry>;
  private readonly stream?: Writable;
  private flushing = false;
  private waitingForDrain = false;
  readonly stats = { written: 0, dropped: 0 };

  constructor(
    private readonly options: AuditOptions,
    stream?: Writable,
  ) {
    this.queue = new BoundedQueue(Math.max(1, options.queueLimit));
    this.stream = stream ?? openStream(options);
    this.stream?.on('error', () => undefined);
  }

  get enabled(): boolean {
    return this.stream !== undefined;
  }

  get queued(): number {
    return this.queue.size;
  }

  record(entry: AuditEntry): void {
    if (!this.stream) return;
    if (this.queue.size >= this.queue.capacity) {
      this.stats.dropped++;
      return;
    }
    this.queue.push(entry);
    if (!this.flushing && !this.waitingForDrain) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
  }

  /** Nest calls this when the app closes, when the trail is a provider. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream || stream === process.stdout) return;
    await new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.end();
      setTimeout(resolve, 500).unref();
    });
  }

  private flush(): void {
    this.flushing = false;
    const stream = this.stream!;
    for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) {
      const line = JSON.stringify(typeof entry === 'function' ? entry() : entry) + '\n';
      this.stats.written++;
      if (!stream.write(line)) {
        this.waitingForDrain = true;
        stream.once('drain', () => {
          this.waitingForDrain = false;
          this.flush();
        });
        return;
      }
    }
  }
}

function openStream(options: AuditOptions): Writable | undefined {
  if (!options.target) return undefined;
  if (options.target === 'stdout') return process.stdout;
  if (options.maxBytes <= 0) return createWriteStream(options.target, { flags: 'a' });
  const slash = options.target.lastIndexOf('/');
  return createStream(options.target.slice(slash + 1), {
    path: slash >= 0 ? options.target.slice(0, slash) || '/' : '.',
    size: `${Math.max(1, Math.ceil(options.maxBytes / 1024))}K`,
    maxFiles: options.maxFiles,
  });
}
