import { IDLE_SAMPLES, RoomRateTable } from './room-rate-table';

const countTimes = (table: RoomRateTable, room: string, times: number) => {
  for (let n = 0; n < times; n++) table.count(room);
};

describe('RoomRateTable', () => {
  it('gives each room its events per second over the last sample, busiest first', () => {
    const table = new RoomRateTable(16);
    countTimes(table, 'ITB-1101', 10);
    countTimes(table, 'JFSB-1', 40);
    table.sample(2);
    expect(table.top(10)).toEqual({
      rooms: [
        { room: 'JFSB-1', perSecond: 20 },
        { room: 'ITB-1101', perSecond: 5 },
      ],
      untrackedPerSecond: 0,
      tracked: 2,
    });

    countTimes(table, 'ITB-1101', 3);
    table.sample(1);
    expect(table.top(10).rooms).toEqual([{ room: 'ITB-1101', perSecond: 3 }]);
    expect(table.top(1).rooms).toHaveLength(1);
  });

  it('never holds more than its capacity; a busy newcomer is tracked after the next sample', () => {
    const table = new RoomRateTable(8);
    for (let n = 0; n < 8; n++) countTimes(table, `quiet-${n}`, 1 + n);
    countTimes(table, 'busy', 100);
    table.sample(1);
    expect(table.top(20)).toMatchObject({ tracked: 6, untrackedPerSecond: 100 });
    expect(table.top(20).rooms.map((r) => r.room)).not.toContain('quiet-0');

    countTimes(table, 'busy', 100);
    table.sample(1);
    expect(table.top(1).rooms).toEqual([{ room: 'busy', perSecond: 100 }]);

    for (let n = 0; n < 10_000; n++) table.count(`flood-${n}`);
    table.sample(1);
    expect(table.top(100).tracked).toBeLessThanOrEqual(8);
  });

  it('forgets a room after a run of idle samples', () => {
    const table = new RoomRateTable(4);
    table.count('once');
    for (let n = 0; n < IDLE_SAMPLES; n++) table.sample(1);
    expect(table.top(10).tracked).toBe(1);
    table.sample(1);
    expect(table.top(10)).toEqual({ rooms: [], untrackedPerSecond: 0, tracked: 0 });
  });
});
