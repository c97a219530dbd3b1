import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigurableModuleClass } from './messenger.module-definition';
import { MessengerService } from './messenger.service';
import { RoomEventExplorer } from './room-event.explorer';

/**
 * Makes a Nest app a participant: `MessengerModule.forRoot({ hubUrl, rooms })`, or
 * `forRootAsync({ imports, inject, useFactory })`, with `isGlobal` for app-wide injection.
 * The health indicator (`MessengerHealthIndicator`) is for apps that use @nestjs/terminus:
 * add it to their providers.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [MessengerService, RoomEventExplorer],
  exports: [MessengerService],
})
export class MessengerModule extends ConfigurableModuleClass {}
