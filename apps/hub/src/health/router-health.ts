import type { AppHealthCheck } from '@ces/server-kit';
import type { NatsBackbone } from '../cluster/nats-backbone.service';
import type { ConnectionsService } from '../connections/connections.service';
import type { ServiceRegistryService } from '../registry/service-registry.service';
import type { DurableStore } from '../store/durable-store';

/**
 * The hub is up when it is listening and routing; the check reports how many peers it has.
 * It is not ready while its durable store cannot write (full or read-only disk): it still
 * routes, but durable groups' events would not survive a restart. In cluster mode it stays
 * ready while NATS is unreachable (it serves its own peers; every hub of the cluster failing
 * its probe at once would help no one), and the `cluster` check says so: `degraded`.
 */
export function routerHealth(
  connections: ConnectionsService,
  store: DurableStore,
  services: ServiceRegistryService,
  cluster: NatsBackbone,
): AppHealthCheck[] {
  return [
    ...(services.enabled ? [registryCheck(services)] : []),
    ...(cluster.enabled ? [clusterCheck(cluster)] : []),
    (indicators) => indicators.check('router').up({ peers: [...connections.all].length }),
    (indicators) => {
      const check = indicators.check('store');
      const { writable, error } = store.health;
      return writable ? check.up({ writable }) : check.down({ writable, error });
    },
  ];
}

/**
 * The service registry: up while a copy of it is in use (a failed refresh shows its error but
 * the last good copy still serves); down when none could be read since startup.
 */
function registryCheck(services: ServiceRegistryService): AppHealthCheck {
  return (indicators) => {
    const check = indicators.check('registry');
    const { loadedAt, error, services: count } = services.state;
    return loadedAt ? check.up({ services: count, loadedAt, error }) : check.down({ error });
  };
}

function clusterCheck(cluster: NatsBackbone): AppHealthCheck {
  return (indicators) => {
    const { state, groupsState, buffer } = cluster.view()!;
    return indicators.check('cluster').up({
      connected: cluster.connected,
      degraded: !cluster.connected,
      state,
      groupsState,
      buffered: buffer.events,
      overflowed: buffer.overflowed,
    });
  };
}
