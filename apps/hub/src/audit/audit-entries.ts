import { decodeFrame, FieldError } from '@ces/protocol';
import { RoutablePeer } from '../routing/routable-peer';
import { RouteDecision } from '../routing/routing.service';

interface Source {
  kind: string;
  id?: string;
}

/** The `id` of an event frame, read only for the audit, on the writer's turn. */
export function eventIdOf(frame: Buffer): string | undefined {
  try {
    const id = JSON.parse(decodeFrame(frame).event.toString('utf8')).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An audit line for a routed event: where it came from and where it went. The decision is
 * read now (the router reuses it for the next event); the event's id later, by the writer.
 */
export function routedEntry(
  source: Source,
  room: string,
  frame: Buffer,
  decision: RouteDecision<RoutablePeer>,
) {
  const time = new Date().toISOString();
  const destinations: Record<string, number> = {};
  for (const peer of decision.recipients)
    destinations[peer.kind] = (destinations[peer.kind] ?? 0) + 1;
  const deliveries = decision.groups.toArray();
  const picked = deliveries.filter((d) => d.member !== undefined);
  const groups = Object.fromEntries(picked.map((d) => [d.group.name, d.member!.id]));
  const kept = deliveries.filter((d) => !d.member && d.group.durable).map((d) => d.group.name);
  const busy = deliveries.filter((d) => !d.member && !d.group.durable).map((d) => d.group.name);
  return () => ({
    time,
    outcome: 'routed',
    id: eventIdOf(frame),
    room,
    source,
    destinations,
    groups,
    kept,
    busy,
  });
}

/** An audit line for a refused event and why. */
export function refusedEntry(
  source: Source,
  reason: string,
  details: FieldError[] = [],
  room?: string,
) {
  return { time: new Date().toISOString(), outcome: 'refused', source, room, reason, details };
}
