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

/** HUB_ADVERTISE, when set, must be an address other hubs can dial. */
function checkAdvertise(address: string): string | undefined {
  if (!address) return undefined;
  try {
    hubLinkUrl(address);
    return undefined;
  } catch (error) {
    return `a hub address (host, host:port or ws:// URL); ${(error as Error).message}`;
  }
}

/** A link must take at least the frames a messenger may send. */
function checkLinkFrameLimit(limit: number, settings: Record<string, unknown>): string | undefined {
  const frameLimit = settings.HUB_MAX_FRAME_BYTES as number;
  return limit >= frameLimit
    ? undefined
    : `a whole number of bytes, at least HUB_MAX_FRAME_BYTES (${frameLimit})`;
}

/** The hub's settings from `raw` (environment over .env), or a ConfigurationError. */
export function validateHubEnvironment(raw: Record<string, unknown>): HubEnvironment {
  return validateEnvironment(HubEnvironment, raw, {
    checks: {
      HUB_PEERS: checkPeers,
      HUB_AUDIT: checkAuditTarget,
      HUB_ADVERTISE: checkAdvertise,
      HUB_LINK_MAX_FRAME_BYTES: checkLinkFrameLimit,
    },
  });
}

/** `HUB_*` variables that are not settings of the hub, each with the closest known name. */
export function unknownHubSettings(raw: Record<string, unknown>): string[] {
  return unknownSettings(HubEnvironment, raw, 'HUB_', 'hub');
}
