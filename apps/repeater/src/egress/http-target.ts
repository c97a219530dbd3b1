import { Logger } from '@nestjs/common';
import { backoffDelay, BoundedQueue } from '@ces/protocol';
import { Target, TargetStats } from './target-stats';

export interface HttpTargetOptions {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  queueLimit: number;
}

/**
 * POSTs each event's JSON to an http(s) address, one at a time and in order, from a
 * bounded queue of its own: retries with backoff on failure or 5xx, then gives up
 * (counted, logged). A slow target only ever delays itself.
 */
export class HttpTarget implements Target {
  private readonly logger = new Logger(HttpTarget.name);
  private readonly queue: BoundedQueue<Buffer>;
  private sending = false;
  private closed = false;
  private readonly counts = { sent: 0, failed: 0, dropped: 0 };
  private lastError?: string;
  private readonly inFlight = new AbortController();

  constructor(
    readonly address: string,
    private readonly options: HttpTargetOptions,
  ) {
    this.queue = new BoundedQueue(options.queueLimit);
  }

  deliver(_room: string, event: Buffer): void {
    if (this.closed) return;
    if (this.queue.push(event)) this.counts.dropped++;
    if (!this.sending) void this.pump();
  }

  stats(): TargetStats {
    return {
      address: this.address,
      kind: 'http',
      state: this.sending ? 'sending' : 'idle',
      queued: this.queue.size,
      ...this.counts,
      lastError: this.lastError,
    };
  }

  close(): void {
    this.closed = true;
    this.inFlight.abort();
    this.queue.drain();
  }

  private async pump(): Promise<void> {
    this.sending = true;
    for (let event = this.queue.shift(); event && !this.closed; event = this.queue.shift()) {
      await this.post(event);
    }
    this.sending = false;
  }

  private async post(event: Buffer): Promise<void> {
    for (let attempt = 0; attempt <= this.options.retries && !this.closed; attempt++) {
      if (attempt > 0)
        await this.pause(
          backoffDelay(attempt - 1, {
            initialDelayMs: this.options.backoffMs,
            maxDelayMs: 30_000,
            jitter: 0.2,
          }),
        );
      const outcome = await this.attempt(event);
      if (outcome === 'sent') return void this.counts.sent++;
      if (outcome === 'rejected') break;
    }
    if (this.closed) return;
    this.counts.failed++;
    this.logger.warn(`gave up delivering an event to ${this.address}: ${this.lastError}`);
  }

  private async attempt(event: Buffer): Promise<'sent' | 'retry' | 'rejected'> {
    try {
      const response = await fetch(this.address, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: event,
        redirect: 'manual',
        signal: AbortSignal.any([
          AbortSignal.timeout(this.options.timeoutMs),
          this.inFlight.signal,
        ]),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 'sent';
      this.lastError = `HTTP ${response.status}`;
      return response.status >= 500 || response.status === 429 ? 'retry' : 'rejected';
    } catch (error) {
      this.lastError = (error as Error).message;
      return 'retry';
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }
}
