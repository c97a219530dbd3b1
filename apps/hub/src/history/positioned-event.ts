import { encodePositionedFrame } from '@ces/protocol';
import { buildBinaryFrame, WireFrame } from '../transport/frame-writer';

/**
 * An event of a history room with its position. The positioned bytes are built on first
 * use, once, and shared by every recipient that opted in; recipients that did not never
 * cause them to be built.
 */
export class PositionedEvent {
  private bytes?: Buffer;
  private framed?: WireFrame;

  constructor(
    private readonly frame: Buffer,
    readonly epoch: string,
    readonly offset: number,
  ) {}

  get payload(): Buffer {
    return (this.bytes ??= positionedPayload(this.frame, this.epoch, this.offset));
  }

  get wire(): WireFrame {
    return (this.framed ??= buildBinaryFrame(this.payload));
  }
}

/**
 * An event of a history room whose recipients that asked for positions get it later, from
 * the cluster's history stream with its position there (cluster mode): skipped for them now.
 */
export const POSITIONED_LATER = Symbol('positioned later');

/** `ROOM\n@EPOCH:OFFSET\n<the rest of the frame as received>`, as a Buffer over the same bytes. */
export function positionedPayload(frame: Buffer, epoch: string, offset: number): Buffer {
  const bytes = encodePositionedFrame(frame, frame.indexOf(0x0a), { epoch, offset });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
