import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { WILDCARD_ROOM } from '@ces/protocol';
import { RoomEventHandler } from '../core/messenger-core';
import { MessengerService } from './messenger.service';
import { ROOM_EVENT_HANDLER, RoomEventHandlerOptions } from './on-room-event.decorator';

/**
 * Finds `@OnRoomEvent` methods in every provider at startup, subscribes to their rooms, and
 * registers each as an event handler of the client (the client's one dispatch path), called
 * with (room, event). A handler that throws or rejects is logged.
 */
@Injectable()
export class RoomEventExplorer implements OnModuleInit {
  private readonly logger = new Logger('Messenger');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly messenger: MessengerService,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[name] as RoomEventHandler;
        const options = this.reflector.get<RoomEventHandlerOptions | undefined>(
          ROOM_EVENT_HANDLER,
          method,
        );
        if (options)
          this.register(options, method.bind(instance), `${instance.constructor.name}.${name}`);
      }
    }
  }

  private register(
    options: RoomEventHandlerOptions,
    handler: RoomEventHandler,
    name: string,
  ): void {
    const room = options.room ?? WILDCARD_ROOM;
    if (options.group) this.messenger.subscribeGroup(options.group, room);
    else this.messenger.subscribe(room);
    this.messenger.onEvent((eventRoom, event) => {
      if (room !== WILDCARD_ROOM && eventRoom !== room) return;
      return this.call(handler, name, eventRoom, event);
    });
  }

  private async call(
    handler: RoomEventHandler,
    name: string,
    room: string,
    event: unknown,
  ): Promise<void> {
    try {
      await handler(room, event);
    } catch (error) {
      this.logger.error(`${name} failed on an event of ${room}: ${(error as Error).message}`);
    }
  }
}
