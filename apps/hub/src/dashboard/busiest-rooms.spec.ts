import { busiestRooms } from './busiest-rooms';

describe('busiestRooms', () => {
  it('keeps the rooms with the most subscribers, then by name, and counts them all', () => {
    const rooms = {
      b: { subscribers: 1, groups: 0 },
      a: { subscribers: 1, groups: 1 },
      big: { subscribers: 9, groups: 0 },
      none: { subscribers: 0, groups: 2 },
    };
    expect(busiestRooms(rooms, 3)).toEqual({
      rooms: {
        big: { subscribers: 9, groups: 0 },
        a: { subscribers: 1, groups: 1 },
        b: { subscribers: 1, groups: 0 },
      },
      roomCount: 4,
    });
  });

  it('bounds a hub of many rooms', () => {
    const rooms = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`room-${i}`, { subscribers: i % 7, groups: 0 }]),
    );
    const streamed = busiestRooms(rooms);
    expect(Object.keys(streamed.rooms)).toHaveLength(200);
    expect(streamed.roomCount).toBe(5000);
    expect(Object.values(streamed.rooms).every((room) => room.subscribers === 6)).toBe(true);
  });
});
