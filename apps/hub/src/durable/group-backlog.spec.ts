import { GroupBacklog, KeptEvent } from './group-backlog';

const event = (room: string, n: number, keptAt = 0): KeptEvent => ({
  heldRoom: room,
  room,
  frame: Buffer.from(`${room}\n{"n":${n}}`),
  keptAt,
  storeId: n,
});
const ids = (events: KeptEvent[]) => events.map((e) => e.storeId);

describe('GroupBacklog', () => {
  it('drops the oldest of all beyond the group bound, and of the room beyond the room bound', () => {
    const dropped: number[] = [];
    const backlog = new GroupBacklog(
      { maxEvents: 4, maxBytes: 1 << 20, perRoom: { maxEvents: 2, maxBytes: 1 << 20 } },
      (e) => dropped.push(e.storeId),
    );
    expect(backlog.push(event('a', 1))).toEqual({ full: 0, roomFull: 0 });
    backlog.push(event('b', 2));
    backlog.push(event('a', 3));
    expect(backlog.push(event('a', 4))).toEqual({ full: 0, roomFull: 1 });
    backlog.push(event('c', 5));
    expect(backlog.push(event('d', 6))).toEqual({ full: 1, roomFull: 0 });
    expect(dropped).toEqual([1, 2]);
    expect(backlog.roomSize('a').events).toBe(2);
    expect(backlog.roomSize('b').events).toBe(0);
    expect(ids(backlog.clear())).toEqual([3, 4, 5, 6]);
    expect(backlog.size).toBe(0);
  });

  it('refuses at once an event larger than its room’s byte bound', () => {
    const backlog = new GroupBacklog({
      maxEvents: 10,
      maxBytes: 1 << 20,
      perRoom: { maxEvents: 10, maxBytes: 4 },
    });
    expect(backlog.push(event('a', 1))).toEqual({ full: 0, roomFull: 1 });
    expect(backlog.size).toBe(0);
  });

  it('keeps order and exact counts through many drops from the middle, drains and expiry', () => {
    const backlog = new GroupBacklog({
      maxEvents: 10_000,
      maxBytes: 1 << 30,
      perRoom: { maxEvents: 3, maxBytes: 1 << 30 },
    });
    // A quiet room's few events stay between thousands a busy room drops.
    for (let n = 0; n < 5000; n++) backlog.push(event(n % 1000 === 0 ? 'quiet' : 'busy', n, n));
    expect(backlog.size).toBe(6);
    expect(backlog.roomSize('quiet').events).toBe(3);
    const taken: number[] = [];
    backlog.drain((e) => {
      if (e.room !== 'quiet') return 'kept';
      taken.push(e.storeId);
      return 'taken';
    });
    expect(taken).toEqual([2000, 3000, 4000]);
    expect(backlog.size).toBe(3);
    expect(backlog.bytes).toBe(3 * event('busy', 4997).frame.length);
    expect(backlog.expire(4998)).toBe(1);
    expect(ids(backlog.clear())).toEqual([4998, 4999]);
  });

  it('stops a drain at the first event nothing can take, keeping it and what follows', () => {
    const backlog = new GroupBacklog({ maxEvents: 10, maxBytes: 1 << 20 });
    for (let n = 1; n <= 4; n++) backlog.push(event('a', n));
    expect(backlog.drain((e) => (e.storeId <= 2 ? 'taken' : 'stop'))).toBe(2);
    expect(ids(backlog.clear())).toEqual([3, 4]);
  });
});
