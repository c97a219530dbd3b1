import type { AppHealthCheck } from '@ces/server-kit';
import type { ConnectionsService } from '../connections/connections.service';
import type { DurableStore } from '../store/durable-store';

/**
 * The hub is up when it is listening and routing; the check reports how many peers it has.
 * It is not ready while its durable store cannot write (full or read-only disk): it still
 * routes, but durable groups' events would not survive a restart.
 */
export function routerHealth(
  connections: ConnectionsService,
  store: DurableStore,
): AppHealthCheck[] {
  return [
    (indicators) => indicators.check('router').up({ peers: [...connections.all].length }),
    (indicators) => {
      const check = indicators.check('store');
      const { writable, error } = store.health;
      return writable ? check.up({ writable }) : check.down({ writable, error });
    },
  ];
}
