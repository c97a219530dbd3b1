/**
 * Events waiting for one async iteration: a bounded queue (oldest dropped) and the reader
 * waiting on it. `end()` finishes the iteration and tells its owner, which stops feeding it.
 */
export class EventStream<T> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private head = 0;
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private ended = false;
  dropped = 0;

  constructor(
    private readonly limit: number,
    private readonly onEnd: () => void = () => undefined,
  ) {}

  push(item: T): void {
    if (this.ended) return;
    const reader = this.waiting.shift();
    if (reader) return reader({ value: item, done: false });
    if (this.limit === 0) {
      this.dropped++;
      return;
    }
    if (this.queue.length - this.head >= this.limit) {
      this.shift();
      this.dropped++;
    }
    this.queue.push(item);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const reader of this.waiting.splice(0)) reader({ value: undefined, done: true });
    this.onEnd();
  }

  private shift(): T | undefined {
    if (this.head === this.queue.length) return undefined;
    const item = this.queue[this.head];
    this.queue[this.head++] = undefined as T;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    return item;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.head < this.queue.length)
          return Promise.resolve({ value: this.shift() as T, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiting.push(resolve));
      },
      // The reader is done: what it will not read is let go at once.
      return: () => {
        this.queue.length = 0;
        this.head = 0;
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
