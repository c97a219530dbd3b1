export * from './backoff';
export * from './bounded-queue';
