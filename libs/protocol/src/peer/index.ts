export * from './client-name';
export * from './hub-address';
export * from './peer-kind';
export * from './wire-constants';
