export { MessengerClient } from './messenger-client';
export * from '../core/public-api';
