export * from './hub-link-messages';
export * from './mesh-messages';
