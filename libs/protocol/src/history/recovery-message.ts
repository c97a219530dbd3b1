import { isValidOffset } from './room-position';

/** Why the hub could not resume a room from the position a client asked for. */
export type RecoveryRefusal =
  'epoch-changed' | 'gap' | 'not-a-history-room' | 'too-many' | 'forbidden';

export const RECOVERY_REFUSALS: readonly RecoveryRefusal[] = [
  'epoch-changed',
  'gap',
  'not-a-history-room',
  'too-many',
  'forbidden',
];

/**
 * The hub's answer for one room a client asked to recover, sent before that room's replayed
 * events. `epoch` and `offset` are the room's current ones (offset: the latest event's).
 */
export type RecoveryReport =
  | { room: string; recovered: true; epoch: string; offset: number; events: number }
  | { room: string; recovered: false; reason: RecoveryRefusal; epoch: string; offset: number };

/** `{"recovery":{...}}`, the fields in the agreed order. */
export function encodeRecoveryReport(report: RecoveryReport): string {
  const { room, epoch, offset } = report;
  const body = report.recovered
    ? { room, recovered: true, epoch, offset, events: report.events }
    : { room, recovered: false, reason: report.reason, epoch, offset };
  return JSON.stringify({ recovery: body });
}

/**
 * The report a parsed text message carries, or undefined when it is not a recovery report
 * (or not a well-formed one).
 */
export function recoveryReportOf(message: unknown): RecoveryReport | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const value = (message as { recovery?: unknown }).recovery;
  if (typeof value !== 'object' || value === null) return undefined;
  const { room, recovered, epoch, offset, events, reason } = value as Record<string, unknown>;
  if (typeof room !== 'string' || typeof epoch !== 'string' || !isValidOffset(offset))
    return undefined;
  if (recovered === true && isValidOffset(events))
    return { room, recovered, epoch, offset, events };
  if (recovered === false && RECOVERY_REFUSALS.includes(reason as RecoveryRefusal))
    return { room, recovered, reason: reason as RecoveryRefusal, epoch, offset };
  return undefined;
}
