import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore } from '../store/durable-store';
import { MemoryDurableStore } from '../store/memory-durable-store';
import { SqliteDurableStore } from '../store/sqlite-durable-store';
import { FakePeer } from '../testing/fake-peer';
import { REPEATER_GROUP } from '../routing/consumer-group';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { DurableDelivery, DurableLimits } from './durable-delivery';

/** The real SQLite store in `dir`, opened again by each call (as after a restart). */
function openSqliteStore(dir: string): SqliteDurableStore {
  return SqliteDurableStore.open({
    file: join(dir, 'hub.sqlite'),
    sync: 'normal',
    counters: { durable: () => {} },
    log: { error: () => {}, warn: () => {}, log: () => {} },
  });
}

const LIMITS: DurableLimits = {
  group: { maxEvents: 100, maxBytes: 1024 * 1024, maxAgeMs: 60_000 },
  repeaters: { maxEvents: 10, maxBytes: 1024 * 1024, expectedMs: 60_000 },
  ackTimeoutMs: 1_000,
  groupTtlMs: 10_000,
};

function fixture(
  limits: Partial<DurableLimits> = {},
  store: DurableStore = new MemoryDurableStore(),
) {
  const registry = new SubscriptionRegistry<FakePeer>();
  const dropped: Record<string, number> = {};
  const counted: Record<string, number> = {};
  const counters = {
    drop: (reason: string, count = 1) => (dropped[reason] = (dropped[reason] ?? 0) + count),
    durable: (what: string, count = 1) => (counted[what] = (counted[what] ?? 0) + count),
  };
  const durable = new DurableDelivery<FakePeer>(
    { ...LIMITS, ...limits },
    registry,
    counters,
    (_group, member, frame) => member.take(frame),
    store,
  );
  const frame = (room: string, n: number) => Buffer.from(`${room}\n{"n":${n}}`);
  /** Routes an event to group `g` the way the forwarder does: pick, write, report. */
  const publish = (room: string, n: number, groupName = 'g') => {
    const group = registry.group(groupName)!;
    const held = group.hasRoom(room) ? room : '*';
    const member = group.pick(held, undefined, false, room);
    const payload = frame(room, n);
    const written = member !== undefined && member.take(payload);
    durable.routed(group, member, held, room, payload, written);
  };
  const join = (member: FakePeer, rooms: string[], groupName = 'g') => {
    registry.subscribe(member, rooms, groupName, true);
    durable.memberJoined(registry.group(groupName)!, member);
  };
  const leave = (member: FakePeer) => {
    member.isOpen = false;
    registry.removePeer(member);
    durable.memberLeft(member);
  };
  /** The group's only member joins with `rooms` and leaves: what comes for them waits. */
  const memberGone = (rooms: string[], groupName = 'g') => {
    const member = new FakePeer('owner');
    join(member, rooms, groupName);
    leave(member);
  };
  /** Members of group `g` named `names`, each holding room R, joined in that order. */
  const members = (...names: string[]) =>
    names.map((name) => {
      const member = new FakePeer(name);
      join(member, ['R']);
      return member;
    });
  const numbers = (member: FakePeer) =>
    member.frames.map((f) => JSON.parse(f.toString().split('\n')[1]).n as number);
  const stored = () =>
    store.load().events.map((e) => JSON.parse(e.frame.toString().split('\n')[1]).n as number);
  return {
    registry,
    durable,
    dropped,
    counted,
    publish,
    join,
    leave,
    memberGone,
    members,
    numbers,
    store,
    stored,
  };
}

describe('DurableDelivery', () => {
  it('keeps a durable group’s events while it has no member, and hands them over in order', () => {
    const f = fixture();
    f.memberGone(['R']);
    for (let n = 1; n <= 5; n++) f.publish('R', n);
    const next = new FakePeer('next');
    f.join(next, ['R']);
    expect(f.numbers(next)).toEqual([1, 2, 3, 4, 5]);
    expect(f.durable.backlogSizes().size).toBe(0);
  });

  it('never counts as delivered what the member could not take: the rest waits for it', () => {
    const f = fixture();
    f.memberGone(['R']);
    for (let n = 1; n <= 50; n++) f.publish('R', n);
    const slow = new FakePeer('slow', 'messenger', { capacity: 10 });
    f.join(slow, ['R']);
    expect(f.numbers(slow)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(f.durable.backlogSizes().get('g')?.events).toBe(40);
    // It reads what it got and acknowledges it: the next ten follow.
    slow.options.capacity = 20;
    f.durable.acknowledge(slow, 10);
    expect(f.numbers(slow).slice(10)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    slow.options.capacity = Infinity;
    f.durable.sweep();
    expect(f.numbers(slow)).toHaveLength(50);
    expect(f.dropped).toEqual({});
  });

  it('hands a new member only the events of rooms it holds', () => {
    const f = fixture();
    f.memberGone(['A', 'B']);
    f.publish('A', 1);
    f.publish('B', 2);
    const forB = new FakePeer('b');
    f.join(forB, ['B']);
    expect(f.numbers(forB)).toEqual([2]);
    const forA = new FakePeer('a');
    f.join(forA, ['A']);
    expect(f.numbers(forA)).toEqual([1]);
  });

  it('never hands an event to a member whose rights exclude its room', () => {
    const f = fixture();
    f.memberGone(['*']);
    f.publish('SECRET', 1);
    f.publish('ITB-1', 2);
    const restricted = new FakePeer('itb', 'messenger', { rooms: (r) => r.startsWith('ITB-') });
    f.join(restricted, ['*']);
    expect(f.numbers(restricted)).toEqual([2]);
    expect(f.durable.backlogSizes().get('g')?.events).toBe(1);
  });

  it('redelivers to another member what a member that left had not acknowledged', () => {
    const f = fixture();
    const [a, b] = f.members('a', 'b');
    for (let n = 1; n <= 4; n++) f.publish('R', n);
    expect(f.numbers(a)).toEqual([1, 3]);
    f.durable.acknowledge(a, 1);
    f.leave(a);
    expect(f.numbers(b)).toEqual([2, 4, 3]);
    expect(f.counted.redelivered).toBe(1);
  });

  it('tells its watchers of every acknowledgement and departure, even of events it never kept', () => {
    const f = fixture();
    const heard: string[] = [];
    f.durable.watchMembers({
      acknowledged: (member, count) => heard.push(`${member.id} ack ${count}`),
      left: (member) => heard.push(`${member.id} left`),
    });
    const a = new FakePeer('a');
    f.join(a, ['R']);
    f.durable.acknowledge(a, 3);
    f.leave(a);
    expect(heard).toEqual(['a ack 3', 'a left']);
  });

  it('redelivers what was not acknowledged within the ack timeout', () => {
    const f = fixture();
    const [a, b] = f.members('a', 'b');
    f.publish('R', 1);
    f.durable.sweep(Date.now() + LIMITS.ackTimeoutMs + 1);
    expect(f.numbers(a)).toEqual([1]);
    expect(f.numbers(b)).toEqual([1]);
    expect(f.durable.unackedCount(a)).toBe(0);
    expect(f.durable.unackedCount(b)).toBe(1);
  });

  it('bounds a backlog by bytes as well as count, and counts what it drops', () => {
    const f = fixture({ group: { maxEvents: 1000, maxBytes: 100, maxAgeMs: 60_000 } });
    f.memberGone(['R']);
    for (let n = 1; n <= 20; n++) f.publish('R', n);
    const sizes = f.durable.backlogSizes().get('g')!;
    expect(sizes.bytes).toBeLessThanOrEqual(100);
    expect(f.dropped['backlog-full']).toBe(20 - sizes.events);
  });

  it('bounds each room’s share of a group’s backlog: a busy room drops its own oldest, not the others’', () => {
    const f = fixture({
      group: { ...LIMITS.group, maxEvents: 100, perRoom: { maxEvents: 5, maxBytes: 1024 * 1024 } },
    });
    f.durable.ensureGroup('g', ['quiet', 'busy']);
    f.publish('quiet', 1);
    f.publish('quiet', 2);
    for (let n = 100; n < 120; n++) f.publish('busy', n);
    expect(f.dropped).toEqual({ 'room-backlog-full': 15 });
    expect(f.durable.backlogSizes().get('g')?.events).toBe(7);
    const member = new FakePeer('m');
    f.join(member, ['quiet', 'busy']);
    expect(f.numbers(member)).toEqual([1, 2, 115, 116, 117, 118, 119]);
  });

  it('bounds a room’s share by bytes too, and applies the room bound to a group holding every room', () => {
    const frameBytes = Buffer.byteLength('busy\n{"n":100}');
    const f = fixture({
      group: {
        ...LIMITS.group,
        perRoom: { maxEvents: 1000, maxBytes: 3 * frameBytes },
      },
    });
    f.durable.ensureGroup('g', ['*']);
    f.publish('calm', 1);
    for (let n = 100; n < 110; n++) f.publish('busy', n);
    expect(f.dropped['room-backlog-full']).toBe(7);
    const member = new FakePeer('m');
    f.join(member, ['*']);
    expect(f.numbers(member)).toEqual([1, 107, 108, 109]);
  });

  it('drops events older than the age bound', () => {
    const f = fixture();
    f.memberGone(['R']);
    f.publish('R', 1);
    f.durable.sweep(Date.now() + LIMITS.group.maxAgeMs + 1);
    expect(f.dropped['backlog-expired']).toBe(1);
  });

  it('forgets a durable group that has had no member for its time to live', () => {
    const f = fixture();
    f.memberGone(['R']);
    f.publish('R', 1);
    f.durable.sweep(Date.now() + LIMITS.groupTtlMs / 2);
    expect(f.registry.group('g')).toBeDefined();
    f.durable.sweep(Date.now() + LIMITS.groupTtlMs + 1);
    expect(f.registry.group('g')).toBeUndefined();
    expect(f.dropped['group-expired']).toBe(1);
  });

  it('keeps no new events for rooms a group released, and hands over what it kept once held again', () => {
    const f = fixture();
    f.durable.ensureGroup('g', ['A', 'B']);
    f.publish('A', 1);
    f.durable.releaseRooms('g', ['A']);
    expect([...f.registry.group('g')!.rooms]).toEqual(['B']);
    expect(f.store.load().groups).toEqual([{ name: 'g', rooms: ['B'] }]);
    const member = new FakePeer('m');
    f.join(member, ['B']);
    f.publish('B', 2);
    // 'A' is no longer held: routing finds no group for it, so nothing is kept.
    expect(f.registry.groupsOf('A').size).toBe(0);
    expect(f.numbers(member)).toEqual([2]);
    f.durable.ensureGroup('g', ['A']);
    f.join(member, ['A']);
    expect(f.numbers(member)).toEqual([2, 1]);
  });

  it('keeps holding a released room some member still holds', () => {
    const f = fixture();
    const member = new FakePeer('m');
    f.join(member, ['A']);
    f.durable.releaseRooms('g', ['A']);
    expect(f.registry.group('g')!.hasRoom('A')).toBe(true);
  });

  describe('the repeaters’ group', () => {
    const publishForRepeaters = (f: ReturnType<typeof fixture>, n: number) => {
      const group = f.registry.repeaters;
      const member = group.pick('*', undefined, false, 'R');
      const payload = Buffer.from(`R\n{"n":${n}}`);
      const written = member !== undefined && member.take(payload);
      f.durable.routed(group, member, '*', 'R', payload, written);
    };

    it('keeps nothing on a hub that never had a repeater', () => {
      const f = fixture();
      for (let n = 1; n <= 5; n++) publishForRepeaters(f, n);
      expect(f.durable.backlogSizes().size).toBe(0);
    });

    it('keeps events while the last repeater is away, and stops once it has been gone too long', () => {
      const f = fixture();
      const repeater = new FakePeer('rep', 'repeater');
      f.registry.addRepeater(repeater);
      f.durable.memberJoined(f.registry.repeaters, repeater);
      f.leave(repeater);
      publishForRepeaters(f, 1);
      expect(f.durable.backlogSizes().get(REPEATER_GROUP)?.events).toBe(1);
      f.durable.sweep(Date.now() + LIMITS.repeaters.expectedMs + 1);
      expect(f.durable.backlogSizes().size).toBe(0);
      expect(f.dropped['repeaters-gone']).toBe(1);
    });

    it('never waits for acknowledgements from repeaters', () => {
      const f = fixture();
      const repeater = new FakePeer('rep', 'repeater');
      f.registry.addRepeater(repeater);
      publishForRepeaters(f, 1);
      expect(f.durable.unackedCount(repeater)).toBe(0);
    });
  });

  describe('its store', () => {
    it('stores a durable group’s event whether it is delivered or kept, until it is acknowledged', () => {
      const f = fixture();
      const member = new FakePeer('m');
      f.join(member, ['R']);
      f.publish('R', 1);
      f.leave(member);
      f.publish('R', 2);
      expect(f.stored()).toEqual([1, 2]);
      const next = new FakePeer('next');
      f.join(next, ['R']);
      expect(f.numbers(next)).toEqual([1, 2]);
      expect(f.stored()).toEqual([1, 2]);
      f.durable.acknowledge(next, 1);
      expect(f.stored()).toEqual([2]);
      f.durable.acknowledge(next, 2);
      expect(f.stored()).toEqual([]);
    });

    it('stores nothing for groups that are not durable, nor for repeaters', () => {
      const f = fixture();
      const plain = new FakePeer('plain');
      f.registry.subscribe(plain, ['R'], 'plain');
      f.publish('R', 1, 'plain');
      const repeater = new FakePeer('rep', 'repeater');
      f.registry.addRepeater(repeater);
      f.durable.memberJoined(f.registry.repeaters, repeater);
      f.leave(repeater);
      f.durable.routed(f.registry.repeaters, undefined, '*', 'R', Buffer.from('R\n{"n":2}'), false);
      expect(f.durable.backlogSizes().get(REPEATER_GROUP)?.events).toBe(1);
      expect(f.store.load()).toEqual({ groups: [], events: [] });
    });

    it('forgets what a bound drops, and a group that expires', () => {
      const f = fixture({ group: { maxEvents: 3, maxBytes: 1024 * 1024, maxAgeMs: 60_000 } });
      f.memberGone(['R']);
      for (let n = 1; n <= 5; n++) f.publish('R', n);
      expect(f.stored()).toEqual([3, 4, 5]);
      f.durable.sweep(Date.now() + LIMITS.groupTtlMs + 1);
      expect(f.store.load()).toEqual({ groups: [], events: [] });
    });

    it('forgets in the SQLite store what a room’s bound drops', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ces-durable-room-'));
      const open = () => openSqliteStore(dir);
      const store = open();
      try {
        const f = fixture(
          { group: { ...LIMITS.group, perRoom: { maxEvents: 2, maxBytes: 1024 * 1024 } } },
          store,
        );
        f.durable.ensureGroup('g', ['quiet', 'busy']);
        f.publish('quiet', 1);
        for (let n = 10; n < 15; n++) f.publish('busy', n);
        store.flush();
        expect(f.stored()).toEqual([1, 13, 14]);
        // Written in separate batches too: dropped rows are deleted, not only never written.
        f.publish('busy', 15);
        store.flush();
        f.publish('busy', 16);
        await store.close();
        const reopened = open();
        expect(
          reopened
            .load()
            .events.map((e) => JSON.parse(e.frame.toString().split('\n')[1]).n as number),
        ).toEqual([1, 15, 16]);
        await reopened.close();
      } finally {
        rmSync(dir, { recursive: true });
      }
    });

    it('makes a durable group that keeps events before any member asked for it', () => {
      const f = fixture();
      f.durable.ensureGroup('g', ['R']);
      const group = f.registry.group('g')!;
      expect(group).toMatchObject({ durable: true, localDurable: true, memberCount: 0 });
      f.publish('R', 1);
      expect(f.stored()).toEqual([1]);
      expect(f.store.load().groups).toEqual([{ name: 'g', rooms: ['R'] }]);
      const member = new FakePeer('m');
      f.join(member, ['R']);
      expect(f.numbers(member)).toEqual([1]);
    });

    it('keeps an event stored once through a redelivery', () => {
      const f = fixture();
      const [a, b] = f.members('a', 'b');
      f.publish('R', 1);
      f.leave(a);
      expect(f.numbers(b)).toEqual([1]);
      expect(f.stored()).toEqual([1]);
      f.durable.acknowledge(b, 1);
      expect(f.stored()).toEqual([]);
    });

    describe.each([
      [
        'memory',
        () => {
          const store: DurableStore = new MemoryDurableStore();
          return { store, open: () => store, done: () => {} };
        },
      ],
      [
        'sqlite',
        () => {
          const dir = mkdtempSync(join(tmpdir(), 'ces-durable-'));
          const open = () => openSqliteStore(dir);
          return {
            store: open() as DurableStore,
            open,
            done: () => rmSync(dir, { recursive: true }),
          };
        },
      ],
    ])('after a restart (%s store)', (_name, make) => {
      it('has the durable group again, memberless, with what was not acknowledged, in order', async () => {
        const made = make();
        const before = fixture({}, made.store);
        const [a, b] = [new FakePeer('a'), new FakePeer('b')];
        before.join(a, ['R']);
        before.join(b, ['S']);
        for (let n = 1; n <= 4; n++) before.publish(n % 2 ? 'R' : 'S', n);
        before.durable.acknowledge(a, 1);
        await made.store.close();
        const store = made.open();

        const after = fixture({}, store);
        expect(after.durable.restore()).toEqual({ groups: 1, events: 3 });
        const group = after.registry.group('g')!;
        expect(group.durable).toBe(true);
        expect(group.memberCount).toBe(0);
        expect([...group.rooms].sort()).toEqual(['R', 'S']);
        expect(after.counted.restored).toBe(3);
        after.publish('R', 5);
        const member = new FakePeer('member');
        after.join(member, ['R', 'S']);
        expect(after.numbers(member)).toEqual([2, 3, 4, 5]);
        await store.close();
        made.done();
      });
    });
  });
});
