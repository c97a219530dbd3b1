import type { IncomingMessage } from 'node:http';

/** Why an upgrade request is refused, answered as a plain HTTP response before any websocket exists. */
export interface UpgradeRefusal {
  status: number;
  message: string;
  /** Extra response headers, e.g. WWW-Authenticate. */
  headers?: Record<string, string>;
}

/** Named segments of the gateway path that matched, e.g. `{ kind: 'messenger' }` for `/connect/:kind`. */
export type UpgradeParams = Record<string, string>;

/**
 * Decides, before the upgrade, whether a request may become a websocket.
 * Returns nothing to accept it.
 */
export type UpgradeGuard = (
  request: IncomingMessage,
  params: UpgradeParams,
  gatewayPath: string,
) => UpgradeRefusal | undefined | Promise<UpgradeRefusal | undefined>;

const paramsOfRequest = new WeakMap<IncomingMessage, UpgradeParams>();

export function setUpgradeParams(request: IncomingMessage, params: UpgradeParams): void {
  paramsOfRequest.set(request, params);
}

/** The path parameters that routed this request to its gateway. */
export function upgradeParams(request: IncomingMessage): UpgradeParams {
  return paramsOfRequest.get(request) ?? {};
}
