import type { AppHealthCheck } from '@ces/server-kit';
import type { ConnectionsService } from '../connections/connections.service';

/** The hub is up when it is listening and routing; the check reports how many peers it has. */
export function routerHealth(connections: ConnectionsService): AppHealthCheck[] {
  return [(indicators) => indicators.check('router').up({ peers: [...connections.all].length })];
}
