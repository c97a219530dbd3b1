export * from './positioned-frame';
export * from './recovery-message';
export * from './room-position';
