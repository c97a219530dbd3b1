export type { ConnectionState } from './hub-connection';
export type {
  GroupOptions,
  MessengerEvents,
  MessengerState,
  MessengerStats,
  RoomEvent,
  RoomEventHandler,
} from './messenger-core';
export { MessengerCore } from './messenger-core';
export type {
  MessengerKind,
  MessengerLogger,
  MessengerOptions,
  TokenSource,
} from './messenger-options';
export { DEFAULT_BUFFER_BYTES, resolveOptions } from './messenger-options';
export type { ResolvedMessengerOptions } from './messenger-options';
export { PublishRefusedError } from './publish-confirms';
export type { DialOptions, HubSocket, HubSocketHandlers, SocketFactory } from './hub-socket';
export type { FrameCodec, MessengerPlatform } from './messenger-platform';
export type { RoomRecovery } from './room-positions';
export type { RecoveryRefusal, RoomPosition } from '@ces/protocol';
