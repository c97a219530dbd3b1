import { MessengerCore } from '../core/messenger-core';
import { MessengerOptions } from '../core/messenger-options';
import { nodePlatform } from './node-platform';

/**
 * A participant of the central event system, for any Node program. Events (typed, see
 * `MessengerEvents`): `event` (room, event), `frame` (room, bytes as received), `state`,
 * `drop` (count), `error` (never thrown). In raw mode events are Buffers.
 */
export class MessengerClient<E = unknown> extends MessengerCore<E, Buffer> {
  constructor(options: MessengerOptions) {
    super(options, nodePlatform);
  }
}
