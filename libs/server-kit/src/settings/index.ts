export * from './setting-rules';
export * from './server-settings';
export * from './validate-environment';
