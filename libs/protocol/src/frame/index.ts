export * from './frame-bytes';
export * from './frame-codec';
export * from './frame-error';
export * from './frame-limits';
