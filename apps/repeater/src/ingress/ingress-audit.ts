import { FieldError, IntakeResult } from '@ces/protocol';
import { AuditTrail } from '@ces/server-kit';

/** Where an event came from into this repeater. */
export interface IngressSource {
  kind: 'websocket' | 'http';
  id?: string;
  remoteAddress?: string;
}

/** One audit line per event taken in (sent on to the hub) or refused, with the reasons. */
export function auditIntake(trail: AuditTrail, source: IngressSource, result: IntakeResult): void {
  if (!trail.enabled) return;
  const time = new Date().toISOString();
  if (result.ok) {
    trail.record({
      time,
      outcome: 'accepted',
      id: result.id,
      room: result.room,
      source,
      destinations: { hub: 1 },
    });
  } else {
    const details: FieldError[] = result.details;
    trail.record({ time, outcome: 'refused', source, reason: result.error, details });
  }
}
