import { BoundedQueue } from '@ces/protocol';

/**
 * Events waiting for an async iterator: a bounded queue (oldest dropped) and the readers
 * waiting on it. `end()` finishes every iteration.
 */
export class EventStream<T> implements AsyncIterable<T> {
  private readonly queue: BoundedQueue<T>;
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private ended = false;
  dropped = 0;

  constructor(limit: number) {
    this.queue = new BoundedQueue(limit);
  }

  push(item: T): void {
    if (this.ended) return;
    const reader = this.waiting.shift();
    if (reader) return reader({ value: item, done: false });
    if (this.queue.push(item)) this.dropped++;
  }

  end(): void {
    this.ended = true;
    for (const reader of this.waiting.splice(0)) reader({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.queue.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiting.push(resolve));
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
