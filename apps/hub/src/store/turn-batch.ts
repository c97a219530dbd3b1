/**
 * What a store asks to write during one turn of the event loop, written once at the end of
 * that turn: many appends share one transaction. `written()` resolves once the write that is
 * due has run, whether or not it succeeded (the store counts and reports its own failures).
 */
export class TurnBatch {
  private scheduled = false;
  private waiting: (() => void)[] = [];

  constructor(private readonly write: () => void) {}

  /** There is something to write: it is written at the end of this turn. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes now what is due, and lets those waiting for it go on. */
  flush(): void {
    this.scheduled = false;
    try {
      this.write();
    } finally {
      const waiting = this.waiting;
      this.waiting = [];
      for (const resolve of waiting) resolve();
    }
  }

  /** Resolves once what is due has been written (at once when nothing is). */
  written(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
