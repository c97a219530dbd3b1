export * from './messenger.module';
export * from './messenger.module-definition';
export * from './messenger.service';
export * from './on-room-event.decorator';
