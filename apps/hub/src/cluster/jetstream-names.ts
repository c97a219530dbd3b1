import { createHash } from 'node:crypto';
import { roomToToken } from './room-subjects';

/** Characters JetStream stream and consumer names may not hold, besides whitespace. */
const UNSAFE_NAME = /[^A-Za-z0-9_-]/g;
const READABLE_PART = 32;

/**
 * The names durable groups have in JetStream, under one subject prefix: a stream for all
 * groups, a subject and a durable consumer per group.
 */
export class JetStreamNames {
  readonly stream: string;
  readonly streamSubjects: string;

  constructor(readonly prefix: string) {
    this.stream = `${prefix.replace(UNSAFE_NAME, '_').toUpperCase()}_GROUPS`;
    this.streamSubjects = `${prefix}.grp.>`;
  }

  /** The subject of a group's events: its name as one subject token. */
  groupSubject(group: string): string {
    return `${this.prefix}.grp.${roomToToken(group)}`;
  }

  /**
   * The durable consumer of a group: a readable part of the name (unsafe characters as
   * `_`, so two names may share it) and a hash of the whole name (so they never share it).
   */
  consumerName(group: string): string {
    const readable = group.slice(0, READABLE_PART).replace(UNSAFE_NAME, '_');
    const hash = createHash('sha256').update(group).digest('hex').slice(0, 16);
    return `g_${readable}_${hash}`;
  }
}
