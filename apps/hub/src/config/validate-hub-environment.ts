import { checkAuditTarget, unknownSettings, validateEnvironment } from '@ces/server-kit';
import { hubLinkUrl } from '../interconnect/hub-address';
import { HubEnvironment } from './hub-environment';

/** The words of every startup message of the hub, and the settings that say where it listens. */
export const HUB_STARTUP = { app: 'hub', portSetting: 'HUB_PORT', hostSetting: 'HUB_HOST' };

/** Every address of HUB_PEERS must be one the hub can dial: a bad one stops the start. */
function checkPeers(peers: string): string | undefined {
  for (const address of peers.split(',').map((item) => item.trim())) {
    if (!address) continue;
    try {
      hubLinkUrl(address);
    } catch (error) {
      return `comma-separated hub addresses (host, host:port or ws:// URL); ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** The hub's settings from `raw` (environment over .env), or a ConfigurationError. */
export function validateHubEnvironment(raw: Record<string, unknown>): HubEnvironment {
  return validateEnvironment(HubEnvironment, raw, {
    checks: { HUB_PEERS: checkPeers, HUB_AUDIT: checkAuditTarget },
  });
}

/** `HUB_*` variables that are not settings of the hub, each with the closest known name. */
export function unknownHubSettings(raw: Record<string, unknown>): string[] {
  return unknownSettings(HubEnvironment, raw, 'HUB_', 'hub');
}
