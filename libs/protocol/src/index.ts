export * from './event';
export * from './frame';
export * from './peer';
export * from './subscription';
export * from './util';
