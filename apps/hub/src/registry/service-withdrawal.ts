import { ServiceDefinition } from './service-definitions';

/** What a new copy of the registry no longer gives a service's instances. */
export interface ServiceWithdrawal {
  service: string;
  /** Topic rooms its instances are unsubscribed from. */
  topic: string[];
  /**
   * Queue rooms its instances leave. When the service still has a queue, the group stops
   * holding them too (no new events are kept for them); when it has none any more (or the
   * service is gone), the group is left whole, memberless, and expires like any durable group
   * without members.
   */
  queue: string[];
  /** The service no longer has a queue: its instances leave its group entirely. */
  leavesGroup: boolean;
}

/**
 * Compares two copies of the registry, service by service: what each service's instances
 * must lose. Services that lose nothing are left out; additions are not this function's
 * business (subscribing instances to what is listed covers them).
 */
export function serviceWithdrawals(
  before: ReadonlyMap<string, ServiceDefinition>,
  after: ReadonlyMap<string, ServiceDefinition>,
): ServiceWithdrawal[] {
  const withdrawals: ServiceWithdrawal[] = [];
  for (const [service, previous] of before) {
    const next = after.get(service);
    const topic = missingFrom(previous.topic, next?.topic ?? []);
    const queue = missingFrom(previous.queue, next?.queue ?? []);
    if (topic.length === 0 && queue.length === 0) continue;
    const leavesGroup = previous.queue.length > 0 && (next?.queue.length ?? 0) === 0;
    withdrawals.push({ service, topic, queue, leavesGroup });
  }
  return withdrawals;
}

function missingFrom(rooms: string[], kept: string[]): string[] {
  const keep = new Set(kept);
  return rooms.filter((room) => !keep.has(room));
}
