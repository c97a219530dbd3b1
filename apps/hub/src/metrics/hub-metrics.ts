import { Inject, Injectable } from '@nestjs/common';
import { PeerKind } from '@ces/protocol';
import {
  addressLabel,
  MetricCatalog,
  MetricsRegistry,
  nestedTallySamples,
  registerCatalog,
  Sample,
} from '@ces/server-kit';
import { NatsBackbone } from '../cluster/nats-backbone.service';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConfirmsService } from '../confirms/confirms.service';
import { ConnectionsService } from '../connections/connections.service';
import { PeerConnection } from '../connections/peer-connection';
import { DurableDelivery } from '../durable/durable-delivery';
import { HubLinkState } from '../interconnect/hub-link';
import { InterconnectService } from '../interconnect/interconnect.service';
import { LinkRegistry } from '../interconnect/link-registry';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { DurableStore } from '../store/durable-store';
import { DURABLE_STORE } from '../store/durable-store.provider';
import { HUB_VERSION } from '../status/hub-version';

// Names, types, labels and help of the hub's series; the readers below give their values.
const HUB_SERIES = require('./hub-series.json') as MetricCatalog;

type Tally = Readonly<Record<string, number>>;

const PEER_KINDS: readonly PeerKind[] = ['messenger', 'repeater', 'hub'];

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
 * time from what the hub already keeps — the HubCounters tallies, the peers' own counters
 * and sockets, the links (see registerCatalog).
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
    @Inject(DURABLE_STORE) store: DurableStore,
    linkRegistry: LinkRegistry<PeerConnection>,
    confirms: ConfirmsService,
    cluster: NatsBackbone,
  ) {
    // Cluster mode's series have no sample while it is off.
    const ifCluster = (value: () => number | Sample[]) => () => (cluster.enabled ? value() : []);
    const byKind = (value: (peer: PeerConnection) => number, gone: Tally = {}) =>
      perKind(connections.all, value, gone);
    registerCatalog(metrics.registry, HUB_SERIES, {
      ces_hub_info: () => [[{ hub_id: config.hubId, version: HUB_VERSION }, 1]],
      ces_hub_peers: () => byKind(() => 1),
      ces_hub_send_buffer_bytes: () => byKind((peer) => peer.socket.bufferedBytes),
      ces_hub_rooms: () => subscriptions.roomCounts().size,
      ces_hub_events_in_total: () => counters.eventsIn,
      ces_hub_events_out_total: () => counters.eventsOut,
      ces_hub_bytes_in_total: () => byKind((peer) => peer.bytesIn, counters.closedBytesIn),
      ces_hub_bytes_out_total: () => byKind((peer) => peer.bytesOut, counters.closedBytesOut),
      ces_hub_connections_opened_total: () => counters.opened,
      ces_hub_connections_closed_total: () => nestedTallySamples('kind', 'code', counters.closed),
      ces_hub_events_dropped_total: () => counters.dropped,
      ces_hub_link_events_dropped_total: () => counters.linkDropped,
      ces_hub_frames_rejected_total: () => counters.rejected,
      ces_hub_backlog_events: () =>
        [...durable.backlogSizes()].map(([group, size]): Sample => [{ group }, size.events]),
      ces_hub_http_requests_refused_total: () => counters.refused,
      ces_hub_group_events_total: () => counters.groups,
      ces_hub_link_state: () => linkSamples(interconnect),
      ces_hub_link_events_skipped_total: () => linkRegistry.eventsSkipped,
      ces_hub_store_writable: () => (store.health.writable ? 1 : 0),
      ces_hub_confirms_total: () => confirms.totals,
      ces_hub_confirm_publishers: () => confirms.publishers,
      ces_hub_cluster_connected: ifCluster(() => (cluster.connected ? 1 : 0)),
      ces_hub_cluster_events_published_total: ifCluster(() => cluster.published),
      ces_hub_cluster_events_received_total: ifCluster(() => [
        [{ for: 'rooms' }, cluster.receivedForRooms],
        [{ for: 'groups' }, cluster.receivedForGroups],
      ]),
      ces_hub_cluster_buffer_events: ifCluster(() => cluster.bufferedEvents),
      ces_hub_cluster_buffer_bytes: ifCluster(() => cluster.bufferedBytes),
      ces_hub_cluster_buffer_overflow_total: ifCluster(() => cluster.bufferOverflowed),
      ces_hub_cluster_subscriptions: ifCluster(() => {
        const { rooms, groups } = cluster.subscriptionCounts();
        return [
          [{ kind: 'rooms' }, rooms],
          [{ kind: 'groups' }, groups],
        ];
      }),
    });
  }
}

/** A value summed over the peers of each kind, on top of `gone` (the totals of peers gone). */
function perKind(
  peers: Iterable<PeerConnection>,
  value: (peer: PeerConnection) => number,
  gone: Tally,
): Sample[] {
  const sums = new Map<string, number>(PEER_KINDS.map((kind) => [kind, gone[kind] ?? 0]));
  for (const peer of peers) sums.set(peer.kind, (sums.get(peer.kind) ?? 0) + value(peer));
  return [...sums].map(([kind, sum]): Sample => [{ kind }, sum]);
}

function linkSamples(interconnect: InterconnectService): Sample[] {
  const samples: Sample[] = [];
  for (const link of interconnect.list()) {
    const address = addressLabel(link.address);
    for (const state of LINK_STATES) {
      // Incoming links are only ever open: their other states are not reported.
      if (link.direction === 'in' && state !== 'open') continue;
      samples.push([{ address, direction: link.direction, state }, link.state === state ? 1 : 0]);
    }
  }
  return samples;
}
