export * from './event-validation';
export * from './v2-event.dto';
