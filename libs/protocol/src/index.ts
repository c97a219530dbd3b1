export * from './confirm';
export * from './event';
export * from './frame';
export * from './link';
export * from './peer';
export * from './subscription';
export * from './util';
export * from './history';
