export * from './peer-kind';
export * from './wire-constants';
