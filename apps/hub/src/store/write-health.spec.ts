import { StoreHealth } from './durable-store';
import { WriteHealth } from './write-health';

const SETTLE_MS = 1_000;

describe('a store’s write health', () => {
  let clock: number;
  let said: string[];
  let health: StoreHealth;
  let writes: WriteHealth;

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 0;
    said = [];
    health = { writable: true };
    writes = new WriteHealth(
      health,
      SETTLE_MS,
      { down: (error) => said.push(`down: ${error}`), up: () => said.push('up') },
      () => clock,
    );
  });
  afterEach(() => {
    writes.stop();
    jest.useRealTimers();
  });

  /** Moves the clock and the timers together. */
  const advance = (ms: number) => {
    clock += ms;
    jest.advanceTimersByTime(ms);
  };

  it('is unwritable at the first failure, said once, with the latest error', () => {
    writes.failed('disk full');
    writes.failed('disk still full');
    expect(health).toEqual({ writable: false, error: 'disk still full' });
    expect(said).toEqual(['down: disk full']);
  });

  it('does not flap while failures and successes alternate', () => {
    for (let turn = 0; turn < 50; turn++) {
      writes.failed('full');
      advance(100);
      writes.succeeded();
      advance(100);
    }
    expect(health.writable).toBe(false);
    expect(said).toEqual(['down: full']);
  });

  it('is writable again once writes have succeeded for the settling time, with no later write needed', () => {
    writes.failed('full');
    advance(200);
    writes.succeeded();
    advance(SETTLE_MS - 201);
    expect(health.writable).toBe(false);
    advance(1);
    expect(health).toEqual({ writable: true });
    expect(said).toEqual(['down: full', 'up']);
  });

  it('at once when the first success comes after the settling time', () => {
    writes.failed('full');
    advance(SETTLE_MS + 5);
    writes.succeeded();
    expect(health).toEqual({ writable: true });
    expect(said).toEqual(['down: full', 'up']);
  });

  it('waits again from a failure that came while it settled', () => {
    writes.failed('full');
    advance(100);
    writes.succeeded();
    advance(500);
    writes.failed('full');
    advance(SETTLE_MS);
    // The timer found the last write failed: still unwritable, and no new timer until a success.
    expect(health.writable).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
    writes.succeeded();
    expect(health.writable).toBe(true);
    expect(said).toEqual(['down: full', 'up']);
  });
});
