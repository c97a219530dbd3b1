export * from './subscription-message';
