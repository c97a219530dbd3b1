/** What one process of the `client` scenario does. */
export interface ClientCostTask {
  /**
   * `publish` and `receive` are measured; `feed` (publishes for a measured receiver) and
   * `sink` (counts what a measured publisher's events became) only help.
   */
  role: 'publish' | 'receive' | 'feed' | 'sink';
  client: ClientKind;
  url: string;
  room: string;
  /** Events per second the publishing side sends. */
  rate: number;
  payloadBytes: number;
  /** Before the measured window: connections warm, JIT done. */
  warmupMs: number;
  durationMs: number;
  /** Publishing goes on this long after the window, so the window is all steady traffic. */
  tailMs: number;
}

/** The Node `MessengerClient`, or a bare `ws` socket doing the same work by hand. */
export type ClientKind = 'messenger' | 'raw';

export interface ClientCostResult {
  /** Events published or received within the measured window, and the CPU spent meanwhile. */
  events: number;
  cpuUs: number;
  windowMs: number;
  /** Over the whole run. */
  published: number;
  received: number;
  reordered: number;
  /** Batches not sent on time because the client still had a backlog. */
  heldBack: number;
}
