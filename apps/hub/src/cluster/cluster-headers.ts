/** The headers of the events this hub puts on the cluster, on core NATS and in its streams. */

/** The hub the event entered. */
export const ORIGIN_HEADER = 'ces-origin';
/** What sent it into that hub (a messenger, a repeater, a hub): core NATS only. */
export const SOURCE_HEADER = 'ces-source';
/** The peer that sent it, where the receiving side must skip it (a group member, a reader). */
export const SENDER_HEADER = 'ces-sender';
/** A durable group's room that matched (`*` or the event's), as a room token: no newline. */
export const HELD_ROOM_HEADER = 'ces-held-room';
