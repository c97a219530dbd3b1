import type { AppHealthCheck } from '@ces/server-kit';
import type { HubUplinkService } from '../uplink/hub-uplink.service';

/** The repeater is ready while its uplink to the hub is open. */
export function uplinkHealth(uplink: HubUplinkService): AppHealthCheck[] {
  return [
    (indicators) => {
      const state = uplink.client.state;
      const indicator = indicators.check('hub');
      return state === 'open' ? indicator.up({ state }) : indicator.down({ state });
    },
  ];
}
