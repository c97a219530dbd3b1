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

/** HUB_NATS_SERVERS: nats:// or tls:// URLs, so a typo stops the start rather than cluster mode. */
function checkNatsServers(servers: string): string | undefined {
  for (const address of servers.split(',').map((item) => item.trim())) {
    if (!address) continue;
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      return `comma-separated nats:// or tls:// URLs; ${JSON.stringify(address)} is not a URL`;
    }
    if (url.protocol !== 'nats:' && url.protocol !== 'tls:')
      return `comma-separated nats:// or tls:// URLs; ${JSON.stringify(address)} is not one`;
    if (!url.hostname) return `comma-separated nats:// or tls:// URLs; ${address} has no host`;
  }
  return undefined;
}

/** Tokens of letters, digits, `_` and `-`, separated by dots: no wildcard, no whitespace. */
function checkSubjectPrefix(prefix: string): string | undefined {
  return /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)
    ? undefined
    : 'NATS subject tokens of letters, digits, _ and -, separated by dots (e.g. ces or acme.ces)';
}

/** The hub's settings from `raw` (environment over .env), or a ConfigurationError. */
export function validateHubEnvironment(raw: Record<string, unknown>): HubEnvironment {
  return validateEnvironment(HubEnvironment, raw, {
    checks: {
      HUB_PEERS: checkPeers,
      HUB_AUDIT: checkAuditTarget,
      HUB_ADVERTISE: checkAdvertise,
      HUB_LINK_MAX_FRAME_BYTES: checkLinkFrameLimit,
      HUB_NATS_SERVERS: checkNatsServers,
      HUB_NATS_SUBJECT_PREFIX: checkSubjectPrefix,
    },
  });
}

/** `HUB_*` variables that are not settings of the hub, each with the closest known name. */
export function unknownHubSettings(raw: Record<string, unknown>): string[] {
  return unknownSettings(HubEnvironment, raw, 'HUB_', 'hub');
}
