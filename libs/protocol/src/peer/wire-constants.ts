/**
 * Headers our hubs exchange in the upgrade of a hub link. The original Go hub ignores
 * them, so links to it still work; between our hubs they identify each end.
 */
export const HUB_ID_HEADER = 'x-ces-hub-id';

/** Close codes the hub and repeater use, beyond RFC 6455's standard ones. */
export const CloseCodes = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  /** A second link between the same two hubs; the other one is kept. */
  duplicateHubLink: 4409,
  /** No pong within the keepalive tolerance. */
  keepaliveTimeout: 4408,
  /**
   * The peer read too little of what it was sent: over its byte budget, or reading nothing,
   * for longer than the server allows (NATS's slow consumer, Centrifugo's 3008).
   */
  slowConsumer: 4008,
  /** The connection's token expired; reconnect with a fresh one. */
  tokenExpired: 4401,
  /** An operator closed the connection (`DELETE /peers/:id`); it is not a ban. */
  disconnectedByOperator: 4000,
} as const;

/** Path of each kind's websocket endpoint on a hub. */
export function connectPath(kind: string): string {
  return `/connect/${kind}`;
}
