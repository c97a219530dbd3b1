import { ScenarioName } from '../scenarios/scenarios';
import { TargetName } from '../targets/target-process';

/** One measured run of one target in one scenario. */
export interface RunRecord {
  scenario: ScenarioName;
  target: TargetName;
  run: number;
  deliveriesPerSec: number;
  publishPerSec: number;
  published: number;
  expected: number;
  received: number;
  lost: number;
  reordered: number;
  latencyMs: { p50: number; p99: number; max: number };
  serverPeakRssMiB: number;
  /** The first server's resident memory once it answered its health check, before any client. */
  serverStartRssMiB: number;
  /** Server CPU time per delivery, in microseconds. */
  cpuPerDeliveryUs: number;
  /** connections: RSS added per idle connection, and the burst's delivery time. */
  rssPerConnectionKiB?: number;
  burstMs?: number;
  /** durable: acknowledgements the hub processed, the store it kept the events in, rows it wrote. */
  acknowledged?: number;
  store?: string;
  stored?: number;
  /** confirms: events confirmed per second, publish→confirm times, events the hub refused. */
  confirmedPerSec?: number;
  confirmP50Ms?: number;
  confirmP99Ms?: number;
  refused?: number;
  /**
   * mesh: events and bytes (TCP payload, both directions) over hub links per delivery;
   * cluster on NATS: messages NATS delivered to hubs, and bytes of the hubs' NATS connections
   * and of the routes between NATS servers, per delivery.
   */
  linkEventsPerDelivery?: number;
  linkBytesPerDelivery?: number;
}
