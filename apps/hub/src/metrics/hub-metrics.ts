import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConnectionsService } from '../connections/connections.service';
import { PeerConnection } from '../connections/peer-connection';
import { DurableDelivery } from '../durable/durable-delivery';
import { HubLinkState } from '../interconnect/hub-link';
import { InterconnectService } from '../interconnect/interconnect.service';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { HUB_VERSION } from '../status/hub-version';
import { addressLabel, MetricsRegistry, mirrorTally } from '@ces/server-kit';

const PEER_KINDS = ['messenger', 'repeater', 'hub'] as const;

const LINK_STATES: readonly HubLinkState[] = [
  'connecting',
  'open',
  'reconnecting',
  'standby',
  'refused',
  'closed',
];

/**
 * The hub's Prometheus series. Nothing here runs per event: every value is read at scrape
 * time, in the metrics' `collect()` callbacks, from what the hub already keeps — the
 * HubCounters tallies, the peers' own counters and sockets, the links.
 *
 * Counters are mirrored from the tallies (reset, then set to the running totals). The
 * tallies only grow for the life of the app, and so does each mirrored counter: Prometheus
 * sees a true counter (`rate()` and `increase()` work), and no previous snapshot has to be
 * kept to compute deltas.
 */
@Injectable()
export class HubMetrics {
  constructor(
    metrics: MetricsRegistry,
    @Inject(HUB_CONFIG) config: HubConfig,
    connections: ConnectionsService,
    subscriptions: SubscriptionRegistry<PeerConnection>,
    interconnect: InterconnectService,
    durable: DurableDelivery<PeerConnection>,
    counters: HubCounters,
  ) {
    const registers: Registry[] = [metrics.registry];

    new Gauge({
      name: 'ces_hub_info',
      help: 'This hub: always 1, with its id and version as labels',
      labelNames: ['hub_id', 'version'],
      registers,
    }).set({ hub_id: config.hubId, version: HUB_VERSION }, 1);

    const peers: Gauge = new Gauge({
      name: 'ces_hub_peers',
      help: 'Connected peers, by kind (hub counts links in both directions)',
      labelNames: ['kind'],
      registers,
      collect: () => {
        const byKind: Record<string, number> = { messenger: 0, repeater: 0, hub: 0 };
        const queued: Record<string, number> = { messenger: 0, repeater: 0, hub: 0 };
        for (const peer of connections.all) {
          byKind[peer.kind] = (byKind[peer.kind] ?? 0) + 1;
          queued[peer.kind] = (queued[peer.kind] ?? 0) + peer.socket.bufferedBytes;
        }
        for (const kind of PEER_KINDS) {
          peers.set({ kind }, byKind[kind]);
          sendBuffer.set({ kind }, queued[kind]);
        }
      },
    });

    // Set by the peers gauge's collect(), which walks the peers once for both.
    const sendBuffer: Gauge = new Gauge({
      name: 'ces_hub_send_buffer_bytes',
      help: 'Bytes queued on peer sockets and not yet sent, summed over the peers of each kind',
      labelNames: ['kind'],
      registers,
    });

    const rooms: Gauge = new Gauge({
      name: 'ces_hub_rooms',
      help: 'Rooms with at least one subscriber or consumer group',
      registers,
      collect: () => rooms.set(subscriptions.roomCounts().size),
    });

    const eventsIn: Counter = new Counter({
      name: 'ces_hub_events_in_total',
      help: 'Events accepted for routing, by source (messenger, repeater, hub, api)',
      labelNames: ['source'],
      registers,
      collect: () => mirrorTally(eventsIn, 'source', counters.eventsIn),
    });

    const eventsOut: Counter = new Counter({
      name: 'ces_hub_events_out_total',
      help: 'Events written to peers, by the kind of the receiving peer',
      labelNames: ['kind'],
      registers,
      collect: () => mirrorTally(eventsOut, 'kind', counters.eventsOut),
    });

    const dropped: Counter = new Counter({
      name: 'ces_hub_events_dropped_total',
      help: 'Events not delivered to a recipient, by reason (slow-consumer, backlog-full, rate-limited, …)',
      labelNames: ['reason'],
      registers,
      collect: () => mirrorTally(dropped, 'reason', counters.dropped),
    });

    const linkDropped: Counter = new Counter({
      name: 'ces_hub_link_events_dropped_total',
      help: 'Events hub links did not carry: too-large (over HUB_MAX_FRAME_BYTES, dropped on arrival), slow-consumer (over the link send budget)',
      labelNames: ['reason'],
      registers,
      collect: () => mirrorTally(linkDropped, 'reason', counters.linkDropped),
    });

    const rejected: Counter = new Counter({
      name: 'ces_hub_frames_rejected_total',
      help: 'Frames, requests and upgrades refused, by reason',
      labelNames: ['reason'],
      registers,
      collect: () => mirrorTally(rejected, 'reason', counters.rejected),
    });

    const groupEvents: Counter = new Counter({
      name: 'ces_hub_group_events_total',
      help: 'Durable consumer-group bookkeeping (redelivered, …)',
      labelNames: ['what'],
      registers,
      collect: () => mirrorTally(groupEvents, 'what', counters.groups),
    });

    const backlog: Gauge = new Gauge({
      name: 'ces_hub_backlog_events',
      help: 'Events kept for a consumer group (repeaters included) with no member to take them',
      labelNames: ['group'],
      registers,
      collect: () => mirrorTally(backlog, 'group', backlogEvents(durable)),
    });

    const links: Gauge = new Gauge({
      name: 'ces_hub_link_state',
      help: 'Hub links: 1 for the state each link is in, 0 for the others',
      labelNames: ['address', 'direction', 'state'],
      registers,
      collect: () => {
        links.reset();
        for (const link of interconnect.list()) {
          const address = addressLabel(link.address);
          for (const state of LINK_STATES) {
            // Incoming links are only ever open: their other states are not reported.
            if (link.direction === 'in' && state !== 'open') continue;
            const labels = { address, direction: link.direction, state };
            links.inc(labels, link.state === state ? 1 : 0);
          }
        }
      },
    });
  }
}

function backlogEvents(durable: DurableDelivery<PeerConnection>): Record<string, number> {
  const events: Record<string, number> = {};
  for (const [name, size] of durable.backlogSizes())
    Object.defineProperty(events, name, { value: size.events, enumerable: true });
  return events;
}
