import { SetMetadata } from '@nestjs/common';
import { GroupOptions } from '../client/messenger-client';

export const ROOM_EVENT_HANDLER = 'ces:room-event-handler';

export interface RoomEventHandlerOptions {
  /** The room, or undefined for every room. */
  room?: string;
  /** Receive the room's events as a member of this consumer group. */
  group?: GroupOptions;
}

/**
 * Marks a provider method as a handler of a room's events: `@OnRoomEvent('ITB-1101')`.
 * The room is subscribed to at startup. With a group, the events are shared among the
 * group's members: `@OnRoomEvent('geofence:created', { group: 'notifier', durable: true })`.
 */
export const OnRoomEvent = (room: string, group?: GroupOptions) =>
  SetMetadata<string, RoomEventHandlerOptions>(ROOM_EVENT_HANDLER, { room, group });

/** Marks a provider method as a handler of every room's events (subscribes to `*`). */
export const OnAnyRoomEvent = () =>
  SetMetadata<string, RoomEventHandlerOptions>(ROOM_EVENT_HANDLER, {});
