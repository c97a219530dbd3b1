import type { UpgradeRefusal } from '../upgrade-refusal';

export interface ConnectionLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
}

/** What the app's open websockets count: all of them, and those from one address. */
export interface ConnectionCounts {
  readonly count: number;
  countFrom(address: string): number;
}

/**
 * A websocket beyond the app's limits is refused before it opens: 503 when the app is full
 * (another instance may have room), 429 when this address has too many.
 */
export function connectionLimitRefusal(
  app: string,
  connections: ConnectionCounts,
  address: string,
  limits: ConnectionLimits,
): (UpgradeRefusal & { reason: string }) | undefined {
  if (connections.count >= limits.maxConnections)
    return {
      status: 503,
      reason: 'connection-limit',
      message: `the ${app} is at its connection limit`,
    };
  if (connections.countFrom(address) >= limits.maxConnectionsPerAddress)
    return {
      status: 429,
      reason: 'address-limit',
      message: 'too many connections from your address',
    };
  return undefined;
}
