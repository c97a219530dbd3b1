/** A FIFO of at most `capacity` items; pushing onto a full one evicts the oldest and says so. */
export class BoundedQueue<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Returns true when the oldest item was dropped to make room (or, with no capacity, the new one). */
  push(item: T): boolean {
    if (this.capacity === 0) return true;
    const evicted = this.count === this.capacity;
    this.items[(this.head + this.count) % this.capacity] = item;
    if (evicted) this.head = (this.head + 1) % this.capacity;
    else this.count++;
    return evicted;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.head + i) % this.capacity] as T);
    this.items = new Array(this.capacity);
    this.head = 0;
    this.count = 0;
    return out;
  }
}
