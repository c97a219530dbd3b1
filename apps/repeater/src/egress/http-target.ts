import { Logger } from '@nestjs/common';
import { backoffDelay } from '@ces/protocol';
import { ByteBoundedQueue } from './byte-bounded-queue';
import { LastError, Target, TargetStats } from './target-stats';

export interface HttpTargetOptions {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  queue: { maxEvents: number; maxBytes: number };
}

/**
 * POSTs each event's JSON to an http(s) address, one at a time and in order, from a
 * bounded queue of its own: retries with backoff on failure or 5xx, then gives up
 * (counted, logged). A slow target only ever delays itself.
 */
export class HttpTarget implements Target {
  private readonly logger = new Logger(HttpTarget.name);
  private readonly queue: ByteBoundedQueue;
  private sending = false;
  private closed = false;
  private readonly counts = { sent: 0, failed: 0, dropped: 0 };
  private readonly lastError = new LastError();
  /** Aborts the request in flight when the target is closed. */
  private inFlight?: AbortController;

  constructor(
    readonly address: string,
    private readonly options: HttpTargetOptions,
  ) {
    this.queue = new ByteBoundedQueue(options.queue.maxEvents, options.queue.maxBytes);
  }

  deliver(_room: string, event: Buffer): void {
    if (this.closed) return;
    this.counts.dropped += this.queue.push(event);
    if (!this.sending) void this.pump();
  }

  stats(): TargetStats {
    return {
      address: this.address,
      kind: 'http',
      state: this.sending ? 'sending' : 'idle',
      queued: this.queue.size,
      queuedBytes: this.queue.bytes,
      ...this.counts,
      ...this.lastError.stats(),
    };
  }

  close(): void {
    this.closed = true;
    this.inFlight?.abort(new Error('the repeater is shutting down'));
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
    this.logger.warn(`gave up delivering an event to ${this.address}: ${this.lastError.message}`);
  }

  /**
   * One POST, aborted after the timeout whatever stage it is in (connecting, waiting for the
   * answer, reading it). The timer is a plain timeout held by this call: a signal from
   * `AbortSignal.timeout` combined with `AbortSignal.any` can be garbage-collected on Node 20
   * before it fires, and then the request never ends.
   */
  private async attempt(event: Buffer): Promise<'sent' | 'retry' | 'rejected'> {
    const controller = new AbortController();
    this.inFlight = controller;
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${this.options.timeoutMs} ms`)),
      this.options.timeoutMs,
    );
    try {
      const response = await fetch(this.address, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: event,
        redirect: 'manual',
        signal: controller.signal,
      });
      // The answer's body is not needed: release it without reading an unbounded amount.
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return 'sent';
      this.lastError.set(`HTTP ${response.status}`);
      return response.status >= 500 || response.status === 429 ? 'retry' : 'rejected';
    } catch (error) {
      const reason = (controller.signal.aborted ? controller.signal.reason : error) as Error;
      // fetch says only "fetch failed"; why (a refused connection, a DNS failure) is its cause.
      const cause = (reason.cause as Error | undefined)?.message;
      this.lastError.set(cause ? `${reason.message}: ${cause}` : reason.message);
      return 'retry';
    } finally {
      clearTimeout(timer);
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }
}
