/** Subscriber and group counts of one room. */
export interface RoomCounts {
  subscribers: number;
  groups: number;
}

/** Rooms the dashboard stream carries each second at most: the page shows as many. */
export const STREAMED_ROOMS = 200;

/**
 * The rooms with the most subscribers (then by name), at most `limit`, and how many rooms
 * there are in all: a hub with 20,000 rooms streams 200 of them, not 20,000 every second.
 */
export function busiestRooms(
  rooms: Record<string, RoomCounts>,
  limit = STREAMED_ROOMS,
): { rooms: Record<string, RoomCounts>; roomCount: number } {
  const entries = Object.entries(rooms);
  const busiest = entries
    .sort((a, b) => b[1].subscribers - a[1].subscribers || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit);
  return { rooms: Object.fromEntries(busiest), roomCount: entries.length };
}
