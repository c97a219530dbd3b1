import { Inject, Injectable } from '@nestjs/common';
import {
  addressLabel,
  MetricCatalog,
  MetricsRegistry,
  registerCatalog,
  Sample,
  stateSamples,
} from '@ces/server-kit';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { TargetsService } from '../egress/targets.service';
import { TargetStats } from '../egress/target-stats';
import { OutsideConnectionsService } from '../outside/outside-connections.service';
import { RepeaterCounters } from '../status/repeater-counters';
import { HubUplinkService } from '../uplink/hub-uplink.service';

// Names, types, labels and help of the repeater's series; the readers below give their values.
const REPEATER_SERIES = require('./repeater-series.json') as MetricCatalog;

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
 * (see registerCatalog).
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
    const perTarget = (value: (target: TargetStats) => number) => () =>
      targets
        .stats()
        .map((t): Sample => [{ target: targetLabel(t.address), kind: t.kind }, value(t)]);
    registerCatalog(metrics.registry, REPEATER_SERIES, {
      ces_repeater_info: () => [
        [{ repeater_id: config.repeaterId, hub_url: addressLabel(config.hubUrl) }, 1],
      ],
      ces_repeater_uplink_state: () => stateSamples(String(uplink.client.state)),
      ces_repeater_uplink_up: () => (uplink.client.state === 'open' ? 1 : 0),
      ces_repeater_outside_connections: () => outside.count,
      ces_repeater_connections_opened_total: () => counters.opened,
      ces_repeater_events_in_total: () => splitEvents(counters.totals('events')).ingress,
      ces_repeater_connections_closed_total: () => counters.totals('closed'),
      ces_repeater_bytes_in_total: () => counters.bytesIn,
      ces_repeater_events_out_total: () => splitEvents(counters.totals('events')).egress,
      ces_repeater_bytes_out_total: () => counters.bytesOut,
      ces_repeater_rejected_total: () => counters.totals('rejected'),
      ces_repeater_http_requests_refused_total: () => counters.totals('refused'),
      ces_repeater_target_deliveries_total: perTarget((t) => t.sent),
      ces_repeater_target_failures_total: perTarget((t) => t.failed),
      ces_repeater_target_dropped_total: perTarget((t) => t.dropped),
      ces_repeater_target_queue_events: perTarget((t) => t.queued),
      ces_repeater_target_state: () =>
        targets.stats().flatMap((t) => stateSamples(t.state, { target: targetLabel(t.address) })),
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
