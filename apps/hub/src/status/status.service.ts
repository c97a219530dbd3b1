import { Inject, Injectable } from '@nestjs/common';
import { Uptime } from '@ces/server-kit';
import { AuditService } from '../audit/audit.service';
import { ConfirmsService } from '../confirms/confirms.service';
import { NatsBackbone } from '../cluster/nats-backbone.service';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConnectionsService } from '../connections/connections.service';
import { PeerConnection } from '../connections/peer-connection';
import { DurableDelivery } from '../durable/durable-delivery';
import { InterconnectService } from '../interconnect/interconnect.service';
import { LinkRegistry } from '../interconnect/link-registry';
import { ServiceRegistryService } from '../registry/service-registry.service';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { DurableStore } from '../store/durable-store';
import { DURABLE_STORE } from '../store/durable-store.provider';
import { HubCounters } from './hub-counters';
import { HUB_VERSION } from './hub-version';

/** Assembles the hub's /status document from the services that own each part. */
@Injectable()
export class StatusService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly connections: ConnectionsService,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly interconnect: InterconnectService,
    private readonly linkRegistry: LinkRegistry<PeerConnection>,
    private readonly durable: DurableDelivery<PeerConnection>,
    private readonly counters: HubCounters,
    private readonly audit: AuditService,
    @Inject(DURABLE_STORE) private readonly store: DurableStore,
    private readonly services: ServiceRegistryService,
    private readonly confirms: ConfirmsService,
    private readonly cluster: NatsBackbone,
  ) {}

  private readonly uptime = new Uptime();

  status() {
    const peers = [...this.connections.all].map((peer) => this.describePeer(peer));
    const byKind = (kind: string) => peers.filter((peer) => peer.kind === kind);
    const { hubId, version, startedAt, uptimeSeconds, ...rest } = this.overview();
    return {
      hubId,
      version,
      startedAt,
      uptimeSeconds,
      peers: {
        messengers: byKind('messenger'),
        repeaters: byKind('repeater'),
        hubs: byKind('hub'),
      },
      ...rest,
    };
  }

  /**
   * The status without the list of peers, which can be thousands long: how many of each
   * kind there are instead. The dashboard streams this and asks `/peers` for one page.
   */
  overview() {
    return {
      hubId: this.config.hubId,
      version: HUB_VERSION,
      ...this.uptime.fields(),
      peerCounts: this.peerCounts(),
      rooms: Object.fromEntries(this.registry.roomCounts()),
      groups: this.describeGroups(),
      links: this.describeLinks(),
      backlogs: Object.fromEntries(
        [...this.durable.backlogSizes()].map(([name, size]) => [name, size.events]),
      ),
      audit: this.audit.stats(),
      store: this.describeStore(),
      registry: this.services.enabled ? this.services.state : undefined,
      cluster: this.cluster.view(),
      totals: this.counters.snapshot(),
      confirms: { publishers: this.confirms.publishers, ...this.confirms.totals },
    };
  }

  /** The dashboard chart's running totals: events in, out, dropped and rejected, all reasons together. */
  rateTotals(): Record<'in' | 'out' | 'dropped' | 'rejected', number> {
    const { eventsIn, eventsOut, dropped, rejected } = this.counters;
    return {
      in: sum(eventsIn),
      out: sum(eventsOut),
      dropped: sum(dropped),
      rejected: sum(rejected),
    };
  }

  /** Each link with what the hub behind it wants, when the link is open and that hub is one of ours. */
  private describeLinks() {
    return this.interconnect.list().map((link) => {
      const open = link.state === 'open' && link.remoteHubId !== undefined;
      const interest = open ? this.linkRegistry.interestView(link.remoteHubId!) : undefined;
      return interest ? { ...link, interest } : link;
    });
  }

  private describeStore() {
    const { kind, file } = this.config.store;
    return { kind, file: kind === 'sqlite' ? file : undefined, ...this.store.health };
  }

  /** Peers connected, by kind: what the dashboard shows when it does not list them all. */
  peerCounts(): Record<'messenger' | 'repeater' | 'hub', number> {
    const counts = { messenger: 0, repeater: 0, hub: 0 };
    for (const peer of this.connections.all) counts[peer.kind]++;
    return counts;
  }

  describePeer(peer: PeerConnection) {
    return {
      id: peer.id,
      kind: peer.kind,
      remoteAddress: peer.remoteAddress,
      remoteHubId: peer.remoteHubId,
      name: peer.name,
      rooms: [...this.registry.roomsOf(peer)],
      groups: [...this.registry.groupsOfPeer(peer)].map((group) => group.name),
      connectedAt: new Date(peer.connectedAt).toISOString(),
      eventsIn: peer.eventsIn,
      eventsOut: peer.eventsOut,
      dropped: peer.dropped,
      rejected: peer.rejected,
      bytesQueued: peer.socket.bufferedBytes,
      unacked: this.durable.unackedCount(peer),
    };
  }

  /** One pass over the groups: O(groups + their rooms), whatever the number of rooms. */
  private describeGroups() {
    const groups: Record<string, { members: number; rooms: string[]; durable: boolean }> = {};
    for (const group of this.registry.groups) {
      Object.defineProperty(groups, group.name, {
        value: { members: group.memberCount, rooms: [...group.rooms], durable: group.durable },
        enumerable: true,
      });
    }
    return groups;
  }
}

function sum(tally: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const count of Object.values(tally)) total += count;
  return total;
}
