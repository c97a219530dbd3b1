export * from './confirm-messages';
