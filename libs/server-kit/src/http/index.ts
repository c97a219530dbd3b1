export * from './http-access';
export * from './http-access.providers';
export * from './http-auth.guard';
export * from './json-bodies';
export * from './route-access';
export * from './origin-check';
export * from './tcp-gate';
export * from './connection-limit';
