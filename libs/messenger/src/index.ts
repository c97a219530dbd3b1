export * from './core/public-api';
export { MessengerClient } from './node/messenger-client';
