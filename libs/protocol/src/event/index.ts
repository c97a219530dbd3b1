export * from './event-validation';
export * from './v2-event.dto';
export * from './event-profile';
export * from './service-event.dto';
export * from './event-intake';
