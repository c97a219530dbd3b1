export * from './ces-ws-adapter';
export * from './upgrade-refusal';
export * from './validate-environment';
export * from './log-levels';
export * from './graceful-shutdown';
export * from './audit-trail';
