/**
 * The recipients of one event, in a list the router refills for every event. An array
 * emptied with `length = 0` gives its storage back and allocates it again on the next push;
 * this one keeps its slots and a size, so routing an event allocates nothing here.
 */
export class PeerList<P> implements Iterable<P> {
  private readonly items: (P | undefined)[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  at(index: number): P {
    return this.items[index] as P;
  }

  push(peer: P): void {
    this.items[this.count++] = peer;
  }

  /** Empties the list; the slots are cleared so a peer that left is not held here. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.items[i] = undefined;
    this.count = 0;
  }

  toArray(): P[] {
    return this.items.slice(0, this.count) as P[];
  }

  *[Symbol.iterator](): Iterator<P> {
    for (let i = 0; i < this.count; i++) yield this.items[i] as P;
  }
}
