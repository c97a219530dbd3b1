import { ByteBoundedFifo } from '@ces/server-kit';

/**
 * A target's frames waiting to be sent, bounded by count and by bytes: pushing past either
 * bound drops the oldest frames until both hold again (a target wants the newest state).
 */
export class ByteBoundedQueue extends ByteBoundedFifo<Buffer> {
  constructor(maxItems: number, maxBytes: number) {
    super(maxItems, maxBytes, (frame) => frame.length, 'drop-oldest');
  }
}
