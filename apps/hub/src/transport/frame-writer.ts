import * as ws from 'ws';
import type { WebSocket } from 'ws';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

/** ws exports its frame builder at runtime; its type declarations leave it out. */
const Sender = (
  ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } }
).Sender;

const BINARY_FRAME = { fin: true, opcode: 0x02, mask: false, readOnly: false, rsv1: false };

/** Below this size the header and payload are joined into one buffer: one write per recipient. */
const MERGE_LIMIT = 16 * 1024;

/**
 * A websocket binary frame built once for all recipients of an event. The payload is
 * never copied per recipient: small frames are joined once with their header,
 * large ones are written as header + the same payload buffer.
 */
export type WireFrame = readonly Buffer[];

export function buildBinaryFrame(payload: Buffer): WireFrame {
  const [header, data] = Sender.frame(payload, BINARY_FRAME) as [Buffer, Buffer];
  return payload.length < MERGE_LIMIT ? [Buffer.concat([header, data])] : [header, data];
}

interface SenderWithFrames {
  sendFrame(list: readonly Buffer[], cb?: (error?: Error) => void): void;
}

/**
 * Writes a prebuilt frame to one socket. ws keeps its sender private; we use its
 * `sendFrame` because per-message compression is off on these sockets, so ws never
 * queues behind a pending compression and ordering is kept.
 */
export function writeFrame(socket: WebSocket, frame: WireFrame): void {
  (socket as unknown as { _sender: SenderWithFrames })._sender.sendFrame(frame);
}
