import { MessengerCore } from '../core/messenger-core';
import { MessengerOptions } from '../core/messenger-options';
import { browserPlatform } from './browser-platform';

/**
 * The messenger for web pages: the Node client's API over the page's WebSocket
 * (reconnect with backoff and jitter, resubscribe, the bounded ordered buffer, typed
 * events). In raw mode events are Uint8Arrays.
 */
export class MessengerClient<E = unknown> extends MessengerCore<E, Uint8Array> {
  constructor(options: MessengerOptions) {
    super(options, browserPlatform);
  }
}
