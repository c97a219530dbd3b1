import { roomToToken } from './room-subjects';

/**
 * Who put an event on the cluster, as the subject says it: a messenger or `POST /event`
 * (`m`: the repeaters' queue takes these), a repeater (`r`) or an original Go hub linked
 * to this one (`h`). Both of the latter reach subscribers only.
 */
export type ClusterSourceKind = 'm' | 'r' | 'h';

const SOURCE_KINDS: readonly ClusterSourceKind[] = ['m', 'r', 'h'];
const M = 'm'.charCodeAt(0);
const R = 'r'.charCodeAt(0);
const DOT = '.'.charCodeAt(0);

/** Rooms whose subjects are kept; past it the cache starts afresh (a busy hub's rooms come back). */
const CACHED_ROOMS = 10_000;

/**
 * The subjects and queue groups of cluster mode, under one prefix:
 *
 * | what                         | subject / queue              |
 * |------------------------------|------------------------------|
 * | an event of room R           | `<prefix>.ev.<kind>.<R>`     |
 * | subscribers of R             | `<prefix>.ev.*.<R>`          |
 * | subscribers of `*`           | `<prefix>.ev.*.*`            |
 * | repeaters (queue `r`)        | `<prefix>.ev.m.*`            |
 * | group g holding R (queue `g:<g>`) | `<prefix>.ev.*.<R>` or `.*` for `*` |
 *
 * `<R>` is the room's token (see room-subjects.ts), so a room never spans tokens.
 */
export class ClusterSubjects {
  readonly allRooms: string;
  readonly repeaterFilter: string;
  readonly repeaterQueue = 'r';
  /** Where the room starts in an event subject. */
  private readonly roomAt: number;
  /** Where the source kind is in an event subject. */
  private readonly kindAt: number;
  private readonly published = new Map<string, string[]>();

  constructor(readonly prefix: string) {
    this.allRooms = `${prefix}.ev.*.*`;
    this.repeaterFilter = `${prefix}.ev.m.*`;
    this.roomAt = `${prefix}.ev.m.`.length;
    this.kindAt = `${prefix}.ev.`.length;
  }

  /** The subject an event of `room` is published to; cached, as it is asked for every event. */
  eventSubject(kind: ClusterSourceKind, room: string): string {
    let subjects = this.published.get(room);
    if (subjects === undefined) {
      if (this.published.size >= CACHED_ROOMS) this.published.clear();
      const token = roomToToken(room);
      subjects = SOURCE_KINDS.map((each) => `${this.prefix}.ev.${each}.${token}`);
      this.published.set(room, subjects);
    }
    return subjects[kind === 'm' ? 0 : kind === 'r' ? 1 : 2];
  }

  /** What a hub subscribes to for the subscribers of `room` (`*`: of every room). */
  roomFilter(room: string): string {
    return room === '*' ? this.allRooms : `${this.prefix}.ev.*.${roomToToken(room)}`;
  }

  /** The queue group of a consumer group: one member hub gets each event. */
  groupQueue(group: string): string {
    return `g:${roomToToken(group)}`;
  }

  /**
   * Whether an event subject's event entered the cluster from a messenger (or `POST /event`)
   * or a repeater, rather than from a hub linked from outside: read on every event from NATS,
   * one character, no allocation.
   */
  enteredFromPeer(subject: string): boolean {
    const kind = subject.charCodeAt(this.kindAt);
    return (kind === M || kind === R) && subject.charCodeAt(this.kindAt + 1) === DOT;
  }

  /** The room token of an event subject (for logs and tests; routing reads the frame). */
  roomTokenOf(subject: string): string {
    return subject.slice(this.roomAt);
  }
}
