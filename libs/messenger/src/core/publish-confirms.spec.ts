import { settled, tick } from './memory-platform.fixture';
import { PublishConfirms, PublishRefusedError } from './publish-confirms';

const frame = (n: number) => new TextEncoder().encode(`R\n{"n":${n}}`);
const limits = { maxEvents: 100, maxBytes: 10_000, maxAttempts: 3 };

/** Writes every held event the tracker gives; returns how many. */
function writeAll(confirms: PublishConfirms): number {
  let count = 0;
  for (; confirms.nextToWrite(); count++) confirms.written();
  return count;
}

describe('PublishConfirms', () => {
  it('asks from sequence 1, numbers events in order and resolves them on a cumulative confirm', async () => {
    const confirms = new PublishConfirms('p', limits);
    expect(confirms.opened()).toBe('{"confirm":{"publisher":"p","next":1}}');
    const states = [1, 2, 3].map((n) => settled(confirms.add(frame(n))));
    expect(writeAll(confirms)).toBe(3);
    confirms.receive({ type: 'confirmed', confirmed: 2 });
    await tick();
    expect(states.map((s) => s.value)).toEqual(['resolved', 'resolved', undefined]);
    expect(confirms.size).toBe(1);
  });

  it('rejects a refused event with the hub’s reason, and drops it once a confirm covers it', async () => {
    const confirms = new PublishConfirms('p', limits);
    confirms.opened();
    const states = [1, 2, 3].map((n) => settled(confirms.add(frame(n))));
    writeAll(confirms);
    confirms.receive({ type: 'refused', seq: 2, reason: 'rate-limited', message: 'too fast' });
    await tick();
    expect(states[1].value).toBeInstanceOf(PublishRefusedError);
    expect(states[1].value).toMatchObject({ reason: 'rate-limited', message: 'too fast', seq: 2 });
    expect(confirms.size).toBe(3);
    confirms.receive({ type: 'confirmed', confirmed: 3 });
    await tick();
    expect(states.map((s) => s.value === 'resolved')).toEqual([true, false, true]);
    expect(confirms.size).toBe(0);
    expect(confirms.bytes).toBe(0);
  });

  it('after a reconnect, asks from the oldest unconfirmed event and writes them all again in order', () => {
    const confirms = new PublishConfirms('p', limits);
    confirms.opened();
    for (let n = 1; n <= 5; n++) void confirms.add(frame(n));
    writeAll(confirms);
    confirms.receive({ type: 'confirmed', confirmed: 2 });
    expect(confirms.opened()).toBe('{"confirm":{"publisher":"p","next":3}}');
    const again: string[] = [];
    for (let next = confirms.nextToWrite(); next; next = confirms.nextToWrite()) {
      again.push(new TextDecoder().decode(next));
      confirms.written();
    }
    expect(again).toEqual([3, 4, 5].map((n) => `R\n{"n":${n}}`));
    void confirms.add(frame(6));
    expect(writeAll(confirms)).toBe(1);
  });

  it('asks from the next new sequence when nothing is held', () => {
    const confirms = new PublishConfirms('p', limits);
    confirms.opened();
    void confirms.add(frame(1));
    writeAll(confirms);
    confirms.receive({ type: 'confirmed', confirmed: 1 });
    expect(confirms.opened()).toBe('{"confirm":{"publisher":"p","next":2}}');
  });

  it('rejects a new event at once when the buffer is full, by count or by bytes', async () => {
    const byCount = new PublishConfirms('p', { ...limits, maxEvents: 2 });
    void byCount.add(frame(1));
    void byCount.add(frame(2));
    await expect(byCount.add(frame(3))).rejects.toThrow('the publish buffer is full');
    const byBytes = new PublishConfirms('p', { ...limits, maxBytes: frame(1).length * 2 - 1 });
    void byBytes.add(frame(1));
    await expect(byBytes.add(frame(2))).rejects.toThrow('the publish buffer is full');
    expect(byBytes.size).toBe(1);
  });

  it('gives up the oldest event after it was written on maxAttempts connections without a word', async () => {
    const confirms = new PublishConfirms('p', limits);
    const first = settled(confirms.add(frame(1)));
    const second = settled(confirms.add(frame(2)));
    for (let i = 0; i < 3; i++) {
      confirms.opened();
      writeAll(confirms);
    }
    expect(confirms.opened()).toBe('{"confirm":{"publisher":"p","next":3}}');
    await tick();
    expect(first.value).toEqual(new Error('not confirmed after 3 connections; given up'));
    expect(second.value).toEqual(new Error('not confirmed after 3 connections; given up'));
  });

  it('ignores a refusal of a sequence it does not hold, and the reply to the request', async () => {
    const confirms = new PublishConfirms('p', limits);
    confirms.opened();
    const state = settled(confirms.add(frame(1)));
    writeAll(confirms);
    confirms.receive({ type: 'refused', seq: 9, reason: 'x', message: '' });
    confirms.receive({ type: 'confirm', publisher: 'p', taken: 5 });
    await tick();
    expect(state.value).toBeUndefined();
    expect(confirms.size).toBe(1);
  });

  it('rejects everything held when the client closes', async () => {
    const confirms = new PublishConfirms('p', limits);
    const state = settled(confirms.add(frame(1)));
    confirms.failAll(new Error('closed'));
    await tick();
    expect(state.value).toEqual(new Error('closed'));
    expect(confirms.size).toBe(0);
  });
});
