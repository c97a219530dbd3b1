import { TargetProtocol } from './adapters';

/** What one client worker process does in a run. */
export interface BenchTask {
  protocol: TargetProtocol;
  /** Where subscribers connect (and publishers, unless `publishUrl`). */
  url: string;
  publishUrl?: string;
  /** One connection each, subscribed to these rooms. */
  subscribers: string[][];
  /**
   * When set, the subscribers are members of this durable group (one of them gets each event)
   * and acknowledge what they receive, every `ackEvery` events and once idle.
   */
  durableGroup?: { name: string; ackEvery: number };
  /** Where each subscriber connects, by index, when not `url` (the mesh's hubs). */
  subscriberUrls?: string[];
  publishers: PublisherTask[];
  /** Connections that subscribe to these rooms and then stop reading (CES targets only). */
  stalled?: string[][];
  durationMs: number;
  payloadBytes: number;
}

export interface PublisherTask {
  id: number;
  rooms: string[];
  /** Events per second, or 0 for as fast as the target takes them (bounded in flight). */
  rate: number;
  /** At most this many events in flight (sent, not yet seen by the publisher's probe). */
  window: number;
  /** Publish exactly this many, then stop (the connections scenario's burst). */
  total?: number;
  /** Where the publisher and its probe connect, when not the task's URLs (the mesh's hubs). */
  url?: string;
  /** Ask for publish confirms: in flight is what the hub has not confirmed, and each confirm is timed. */
  confirms?: boolean;
}

export interface BenchResult {
  published: number;
  publishedByRoom: Record<string, number>;
  received: number;
  /** Events acknowledged with `{"ack": N}` (durable group members). */
  acknowledged: number;
  reordered: number;
  latencies: number[];
  /** When the last event arrived, ms since the start signal. */
  lastReceiptMs: number;
  /** Publishers with confirms: events confirmed, refused, and publish→confirm times (sampled). */
  confirmed: number;
  refused: number;
  confirmLatencies: number[];
  /** When the last confirm arrived, ms since the start signal. */
  lastConfirmMs: number;
}
