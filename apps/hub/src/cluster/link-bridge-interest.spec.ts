import { LinkBridgeInterest, LinkWants } from './link-bridge-interest';

/** Counts holds per room, as ClusterInterest does, and records each change. */
function countingHolds() {
  const counts = new Map<string, number>();
  const log: string[] = [];
  return {
    counts,
    log,
    hold(room: string) {
      counts.set(room, (counts.get(room) ?? 0) + 1);
      log.push(`+${room}`);
    },
    release(room: string) {
      const count = (counts.get(room) ?? 0) - 1;
      if (count < 0) throw new Error(`${room} released more often than held`);
      if (count === 0) counts.delete(room);
      else counts.set(room, count);
      log.push(`-${room}`);
    },
  };
}

const everything: LinkWants = { everything: true, rooms: new Set() };
const roomsOnly = (...rooms: string[]): LinkWants => ({ everything: false, rooms: new Set(rooms) });

describe('LinkBridgeInterest', () => {
  it('holds every room for a link that wants everything, and releases it when the link goes', () => {
    const holds = countingHolds();
    const bridge = new LinkBridgeInterest<string>(holds);
    bridge.changed('go', everything);
    bridge.changed('go', everything);
    expect(holds.counts).toEqual(new Map([['*', 1]]));
    bridge.closed('go');
    expect(holds.counts).toEqual(new Map());
    expect(bridge.links).toBe(0);
  });

  it('turns from everything to the rooms a link told of, holding them before it lets go of *', () => {
    const holds = countingHolds();
    const bridge = new LinkBridgeInterest<string>(holds);
    bridge.changed('ours', everything);
    bridge.changed('ours', roomsOnly('X', 'Y'));
    expect(holds.log).toEqual(['+*', '+X', '+Y', '-*']);
    expect(holds.counts).toEqual(
      new Map([
        ['X', 1],
        ['Y', 1],
      ]),
    );
  });

  it('follows a change by the rooms it names only', () => {
    const holds = countingHolds();
    const bridge = new LinkBridgeInterest<string>(holds);
    bridge.changed('ours', roomsOnly('X', 'Y'));
    bridge.changed('ours', roomsOnly('Y', 'Z'), ['Z', 'X']);
    expect(holds.counts).toEqual(
      new Map([
        ['Y', 1],
        ['Z', 1],
      ]),
    );
    // A room named that the link still (or never) wants changes nothing.
    bridge.changed('ours', roomsOnly('Y', 'Z'), ['Y', 'Q']);
    expect(holds.counts).toEqual(
      new Map([
        ['Y', 1],
        ['Z', 1],
      ]),
    );
    expect(holds.log).toEqual(['+X', '+Y', '+Z', '-X']);
  });

  it('turns to everything when a link comes to want it, dropping its rooms after holding *', () => {
    const holds = countingHolds();
    const bridge = new LinkBridgeInterest<string>(holds);
    bridge.changed('ours', roomsOnly('X'));
    bridge.changed('ours', everything, ['*']);
    expect(holds.log).toEqual(['+X', '+*', '-X']);
    bridge.closed('ours');
    expect(holds.counts).toEqual(new Map());
  });

  it('holds a room once per link that wants it, and never twice for one link', () => {
    const holds = countingHolds();
    const bridge = new LinkBridgeInterest<string>(holds);
    bridge.changed('one', roomsOnly('X'));
    bridge.changed('one', roomsOnly('X'), ['X']);
    bridge.changed('two', roomsOnly('X', 'Y'));
    expect(holds.counts).toEqual(
      new Map([
        ['X', 2],
        ['Y', 1],
      ]),
    );
    bridge.closed('one');
    expect(holds.counts).toEqual(
      new Map([
        ['X', 1],
        ['Y', 1],
      ]),
    );
    bridge.closed('two');
    bridge.closed('two');
    expect(holds.counts).toEqual(new Map());
  });

  it('compares every room when told without the rooms that changed', () => {
    const holds = countingHolds();
    const bridge = new LinkBridgeInterest<string>(holds);
    bridge.changed('ours', roomsOnly('X', 'Y'));
    bridge.changed('ours', roomsOnly('Y'));
    expect(holds.counts).toEqual(new Map([['Y', 1]]));
  });
});
