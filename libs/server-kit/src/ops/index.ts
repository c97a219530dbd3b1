export * from './api-schemas';
export * from './dashboard-client';
export * from './dashboard-style';
export * from './live-document';
export * from './metrics-registry';
export * from './metrics.controller';
export * from './metrics.module';
export * from './pino-params';
