import { encodeRecoveryReport, PeerKind, RecoveryRefusal } from '@ces/protocol';
import { HubCounters } from '../status/hub-counters';
import { buildBinaryFrame } from '../transport/frame-writer';
import { PeerSocket } from '../transport/peer-socket';
import { positionedPayload } from './positioned-event';

/** What a resume needs of a peer (a `PeerConnection` is one). */
export interface ResumingPeer {
  kind: PeerKind;
  mayGet(room: string): boolean;
  sendControl(text: string): boolean;
  socket: Pick<PeerSocket, 'fits' | 'sendEvent'>;
}

/** A missed event to replay: its frame as received and its offset. */
export interface ReplayedEvent {
  frame: Buffer;
  offset: number;
}

/** ws's header of a binary frame is at most this many bytes (server side, unmasked). */
const FRAME_HEADER_BYTES = 10;

/**
 * Sends the report of a recovered room, then its missed events as positioned frames — all of
 * them, or (when they do not all fit in the peer's send budget now) a `too-many` refusal and
 * none: never part of a recovery.
 */
export function replayRoom(
  peer: ResumingPeer,
  counters: HubCounters,
  room: string,
  position: { epoch: string; latest: number },
  missed: readonly ReplayedEvent[],
): void {
  const { epoch, latest } = position;
  const payloads = missed.map((event) => positionedPayload(event.frame, epoch, event.offset));
  const report = encodeRecoveryReport({
    room,
    recovered: true,
    epoch,
    offset: latest,
    events: missed.length,
  });
  let bytes = Buffer.byteLength(report) + FRAME_HEADER_BYTES;
  for (const payload of payloads) bytes += payload.length + FRAME_HEADER_BYTES;
  if (!peer.socket.fits(bytes)) return refuseRecovery(peer, counters, room, 'too-many', position);
  if (!peer.sendControl(report)) return;
  let sent = 0;
  for (const payload of payloads)
    if (peer.socket.sendEvent(buildBinaryFrame(payload), payload)) sent++;
  if (sent) counters.eventsOutTo(peer.kind, sent);
  counters.durable('history-recovered');
  counters.durable('history-replayed', sent);
}

/** Says `recovered: false` for a room; a room the token does not grant is told no offset. */
export function refuseRecovery(
  peer: ResumingPeer,
  counters: HubCounters,
  room: string,
  reason: RecoveryRefusal,
  position: { epoch: string; latest: number },
): void {
  const offset = reason === 'forbidden' ? 0 : position.latest;
  const { epoch } = position;
  peer.sendControl(encodeRecoveryReport({ room, recovered: false, reason, epoch, offset }));
  counters.durable(`history-not-recovered-${reason}`);
}
