import {
  readFramePosition,
  RecoveryRefusal,
  RecoveryReport,
  RoomPosition,
  WILDCARD_ROOM,
} from '@ces/protocol';

/** What a client learnt of one room it asked a hub to resume. */
export interface RoomRecovery {
  room: string;
  /** True: the events it missed follow, in order, then live ones. False: they are lost. */
  recovered: boolean;
  /** Why not, when not recovered. */
  reason?: RecoveryRefusal;
  /** Events replayed (0 when not recovered). */
  events: number;
  /** The room's position at the hub now: the epoch and its latest offset. */
  position: RoomPosition;
  /** The hub that answered. */
  hubUrl: string;
}

const NEWLINE = 0x0a;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The last position this client saw of each history room on one hub, so that a reconnect to
 * it can ask for what was missed. Positions are a hub's (its store's epoch): each hub
 * connection has its own.
 */
export class RoomPositions {
  private readonly last = new Map<string, RoomPosition>();

  /**
   * The position of a frame, remembered for its room; undefined for a frame without one
   * (a room that keeps no history, or a group's delivery).
   */
  noteFrame(room: string, frame: Uint8Array): RoomPosition | undefined {
    const read = readFramePosition(frame, frame.indexOf(NEWLINE));
    if (!read) return undefined;
    const position = { epoch: read.epoch, offset: read.offset };
    this.last.set(room, position);
    return position;
  }

  /** Where to resume each of `rooms` from, for the ones this client has a position of. */
  resumeFrom(rooms: Iterable<string>): Record<string, RoomPosition> | undefined {
    let recover: Record<string, RoomPosition> | undefined;
    for (const room of rooms) {
      const position = this.last.get(room);
      if (!position || room === WILDCARD_ROOM) continue;
      (recover ??= Object.create(null) as Record<string, RoomPosition>)[room] = position;
    }
    return recover;
  }

  /**
   * What the hub said of a room: a refused room starts again from the hub's position now
   * (what came before is lost; asking again would be refused again); a room that keeps no
   * history, or that the token does not grant, is no longer resumed.
   */
  applyReport(report: RecoveryReport): void {
    if (report.recovered) return;
    if (report.reason === 'not-a-history-room' || report.reason === 'forbidden')
      this.last.delete(report.room);
    else this.last.set(report.room, { epoch: report.epoch, offset: report.offset });
  }

  forget(room: string): void {
    this.last.delete(room);
  }

  /** A resumable position, for a CLI or an app that keeps positions across runs. */
  set(room: string, position: RoomPosition): void {
    this.last.set(room, position);
  }

  get(room: string): RoomPosition | undefined {
    return this.last.get(room);
  }
}

/**
 * Where the event of a positioned frame starts: after the position line and any whitespace.
 * `event` is the frame's event bytes as decoded (starting with the position line).
 */
export function skipPositionLine<Bytes extends Uint8Array>(event: Bytes): Bytes {
  let start = event.indexOf(NEWLINE) + 1;
  while (start < event.length && isWhitespace(event[start])) start++;
  return event.subarray(start) as Bytes;
}
