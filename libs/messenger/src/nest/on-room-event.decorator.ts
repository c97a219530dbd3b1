import { SetMetadata } from '@nestjs/common';
import { GroupOptions } from '../core/messenger-core';

export const ROOM_EVENT_HANDLER = 'ces:room-event-handler';

export interface RoomEventHandlerOptions {
  /** The room, or undefined for every room. */
  room?: string;
  /** Receive the room's events as a member of this consumer group. */
  group?: GroupOptions;
}

/**
 * A method that handles room events takes the room first, then the event, as every handler
 * of the messenger does; `event` is typed by the method (`never` here accepts any type).
 */
type RoomEventMethod = (room: string, event: never) => unknown;

type RoomEventMethodDecorator = <M extends RoomEventMethod>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

function handlerMetadata(options: RoomEventHandlerOptions): RoomEventMethodDecorator {
  const decorate = SetMetadata<string, RoomEventHandlerOptions>(ROOM_EVENT_HANDLER, options);
  return (target, key, descriptor) => void decorate(target, key, descriptor);
}

/**
 * Marks a provider method as a handler of a room's events:
 * `@OnRoomEvent('ITB-1101') onRoom(room: string, event: MyEvent)`. The room is subscribed
 * to at startup. With a group, the events are shared among the group's members:
 * `@OnRoomEvent('geofence:created', { group: 'notifier', durable: true })`.
 */
export const OnRoomEvent = (room: string, group?: GroupOptions): RoomEventMethodDecorator =>
  handlerMetadata({ room, group });

/** Marks a provider method as a handler of every room's events (subscribes to `*`). */
export const OnAnyRoomEvent = (): RoomEventMethodDecorator => handlerMetadata({});
