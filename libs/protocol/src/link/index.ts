export * from './hub-link-messages';
