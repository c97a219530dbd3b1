import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { addressLabel, MetricsRegistry, mirrorTally } from '@ces/server-kit';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { TargetsService } from '../egress/targets.service';
import { TargetStats } from '../egress/target-stats';
import { OutsideConnectionsService } from '../outside/outside-connections.service';
import { RepeaterCounters } from '../status/repeater-counters';
import { HubUplinkService } from '../uplink/hub-uplink.service';

/** RepeaterCounters' event tallies: `ingress-websocket`, `ingress-http`, `egress`. */
function splitEvents(events: Readonly<Record<string, number>>) {
  const ingress: Record<string, number> = {};
  let egress = 0;
  for (const [what, count] of Object.entries(events)) {
    if (what.startsWith('ingress-')) ingress[what.slice('ingress-'.length)] = count;
    else if (what.startsWith('egress')) egress += count;
  }
  return { ingress, egress };
}

/**
 * The repeater's Prometheus series, all read at scrape time from what it already keeps
 * (see HubMetrics for how counters are mirrored from running totals).
 */
@Injectable()
export class RepeaterMetrics {
  constructor(
    metrics: MetricsRegistry,
    @Inject(REPEATER_CONFIG) config: RepeaterConfig,
    uplink: HubUplinkService,
    outside: OutsideConnectionsService,
    targets: TargetsService,
    counters: RepeaterCounters,
  ) {
    const registers: Registry[] = [metrics.registry];

    new Gauge({
      name: 'ces_repeater_info',
      help: 'This repeater: always 1, with its id and hub as labels',
      labelNames: ['repeater_id', 'hub_url'],
      registers,
    }).set({ repeater_id: config.repeaterId, hub_url: addressLabel(config.hubUrl) }, 1);

    const uplinkState: Gauge = new Gauge({
      name: 'ces_repeater_uplink_state',
      help: 'The uplink to the hub: 1 for the state it is in',
      labelNames: ['state'],
      registers,
      collect: () => {
        uplinkState.reset();
        uplinkState.set({ state: String(uplink.client.state) }, 1);
      },
    });

    const uplinkUp: Gauge = new Gauge({
      name: 'ces_repeater_uplink_up',
      help: '1 while the uplink to the hub is open, else 0',
      registers,
      collect: () => uplinkUp.set(uplink.client.state === 'open' ? 1 : 0),
    });

    const connections: Gauge = new Gauge({
      name: 'ces_repeater_outside_connections',
      help: 'Open sockets of outside systems',
      registers,
      collect: () => connections.set(outside.list().length),
    });

    const eventsIn: Counter = new Counter({
      name: 'ces_repeater_events_in_total',
      help: 'Events from outside systems forwarded to the hub, by how they came (websocket, http)',
      labelNames: ['via'],
      registers,
      collect: () => mirrorTally(eventsIn, 'via', splitEvents(counters.events).ingress),
    });

    const eventsOut: Counter = new Counter({
      name: 'ces_repeater_events_out_total',
      help: 'Events from the hub handed to outside sockets and send-map targets',
      registers,
      collect: () => {
        eventsOut.reset();
        eventsOut.inc(splitEvents(counters.events).egress);
      },
    });

    const rejected: Counter = new Counter({
      name: 'ces_repeater_rejected_total',
      help: 'Events refused at ingress, by reason',
      labelNames: ['reason'],
      registers,
      collect: () => mirrorTally(rejected, 'reason', counters.rejected),
    });

    // One walk over the targets sets all the per-target series.
    const byTarget = ['target', 'kind'] as const;
    const sent: Counter = new Counter({
      name: 'ces_repeater_target_deliveries_total',
      help: 'Events delivered to a send-map target',
      labelNames: byTarget,
      registers,
      collect: () => {
        const stats = targets.stats();
        setPerTarget(sent, stats, (t) => t.sent);
        setPerTarget(failed, stats, (t) => t.failed);
        setPerTarget(droppedAtTarget, stats, (t) => t.dropped);
        setPerTarget(queued, stats, (t) => t.queued);
        targetState.reset();
        for (const t of stats)
          targetState.set({ target: targetLabel(t.address), state: t.state }, 1);
      },
    });
    const failed: Counter = new Counter({
      name: 'ces_repeater_target_failures_total',
      help: 'Deliveries to a send-map target given up after their retries',
      labelNames: byTarget,
      registers,
    });
    const droppedAtTarget: Counter = new Counter({
      name: 'ces_repeater_target_dropped_total',
      help: 'Events dropped because a target’s queue was full',
      labelNames: byTarget,
      registers,
    });
    const queued: Gauge = new Gauge({
      name: 'ces_repeater_target_queue_events',
      help: 'Events waiting in a target’s queue',
      labelNames: byTarget,
      registers,
    });
    const targetState: Gauge = new Gauge({
      name: 'ces_repeater_target_state',
      help: 'A send-map target: 1 for the state it is in',
      labelNames: ['target', 'state'],
      registers,
    });
  }
}

/** A target's label: scheme and host only — never credentials, paths or query strings. */
export function targetLabel(address: string): string {
  try {
    const url = new URL(address);
    return `${url.protocol}//${url.host}`;
  } catch {
    return addressLabel(address);
  }
}

function setPerTarget(
  metric: Counter | Gauge,
  stats: TargetStats[],
  value: (target: TargetStats) => number,
): void {
  metric.reset();
  for (const target of stats) {
    metric.inc({ target: targetLabel(target.address), kind: target.kind }, value(target));
  }
}
