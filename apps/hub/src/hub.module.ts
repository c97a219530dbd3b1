import { DynamicModule, Module } from '@nestjs/common';
import { appModule } from '@ces/server-kit';
import { AuditService } from './audit/audit.service';
import { BackboneGate } from './cluster/backbone';
import { GroupDirectoryService } from './cluster/group-directory.service';
import { JetStreamGroups } from './cluster/jetstream-groups.service';
import { JetStreamHistory } from './cluster/jetstream-history.service';
import { NatsBackbone } from './cluster/nats-backbone.service';
import { ClusterLinkBridge } from './cluster/cluster-link-bridge.service';
import { TokenVerifier } from './auth/token-verifier.service';
import { HUB_CONFIG, HubConfig, hubConfigFrom } from './config/hub-config';
import { HubEnvironment, HubSettings } from './config/hub-environment';
import { validateHubEnvironment } from './config/validate-hub-environment';
import { ConfirmsService } from './confirms/confirms.service';
import { ConnectGateway } from './connections/connect.gateway';
import { ConnectionsService } from './connections/connections.service';
import { KeepaliveService } from './connections/keepalive.service';
import { UpgradeGuardService } from './connections/upgrade-guard.service';
import { hubDashboard } from './dashboard/hub-dashboard';
import { EventController } from './events/event.controller';
import { EventForwarder } from './forwarding/event-forwarder.service';
import { Delivery } from './forwarding/delivery';
import { durableDeliveryProvider } from './durable/durable-delivery.provider';
import { DurableSweeper } from './durable/durable-sweeper.service';
import { LinkRegistry } from './interconnect/link-registry';
import { ControlMessagesService } from './connections/control-messages.service';
import { routerHealth } from './health/router-health';
import { InterconnectController } from './interconnect/interconnect.controller';
import { InterconnectService } from './interconnect/interconnect.service';
import { LinkEvents } from './interconnect/link-events';
import { MeshService } from './interconnect/mesh.service';
import { HubMetrics } from './metrics/hub-metrics';
import { RoutingSampler } from './metrics/routing-sampler';
import { PeersController } from './peers/peers.controller';
import { ServiceRegistryService } from './registry/service-registry.service';
import { RoutingService } from './routing/routing.service';
import {
  DURABLE_STORE,
  DurableStoreCloser,
  durableStoreProvider,
} from './store/durable-store.provider';
import { publisherStoreProvider } from './store/publisher-store.provider';
import { SubscriptionRegistry } from './routing/subscription-registry';
import { RoomHistory } from './history/room-history.service';
import { HistoryStoreCloser, historyStoreProvider } from './store/history-store.provider';
import { HubCounters } from './status/hub-counters';
import { HUB_VERSION } from './status/hub-version';
import { StatusController } from './status/status.controller';
import { RoomRates } from './status/room-rates.service';
import { StatusService } from './status/status.service';

/** The hub: the server kit's app shell around the router. */
@Module({})
export class HubModule {
  static forRoot(settings: HubSettings = {}): DynamicModule {
    return appModule({
      settings,
      module: HubModule,
      name: 'hub',
      docs: {
        title: 'CES hub',
        description:
          'Routes room-tagged events between messengers, repeaters and other hubs. Peers connect over ' +
          'websockets at /connect/messenger, /connect/repeater and /connect/hub (docs/protocol.md).',
        version: HUB_VERSION,
      },
      environment: HubEnvironment,
      validate: validateHubEnvironment,
      config: { token: HUB_CONFIG, from: hubConfigFrom },
      logFields: (config: HubConfig) => ({ hubId: config.hubId }),
      eventPaths: ['/event'],
      access: { verifier: TokenVerifier, refusals: HubCounters },
      health: {
        inject: [ConnectionsService, DURABLE_STORE, ServiceRegistryService, NatsBackbone],
        useFactory: routerHealth,
      },
      dashboard: { inject: [StatusService, RoomRates], useFactory: hubDashboard },
      upgradeGuard: {
        inject: [UpgradeGuardService],
        useFactory: (guard: UpgradeGuardService) => guard.check,
      },
      metrics: [RoutingSampler],
      controllers: [EventController, InterconnectController, PeersController, StatusController],
      providers: [
        AuditService,
        ConfirmsService,
        BackboneGate,
        NatsBackbone,
        ClusterLinkBridge,
        JetStreamGroups,
        GroupDirectoryService,
        JetStreamHistory,
        ConnectGateway,
        ConnectionsService,
        ControlMessagesService,
        Delivery,
        durableDeliveryProvider,
        DurableSweeper,
        durableStoreProvider,
        historyStoreProvider,
        // Before DurableStoreCloser: history is written before the file they share closes.
        HistoryStoreCloser,
        DurableStoreCloser,
        EventForwarder,
        LinkRegistry,
        HubCounters,
        HubMetrics,
        InterconnectService,
        KeepaliveService,
        LinkEvents,
        MeshService,
        publisherStoreProvider,
        RoomRates,
        RoomHistory,
        RoutingService,
        ServiceRegistryService,
        StatusService,
        SubscriptionRegistry,
        TokenVerifier,
        UpgradeGuardService,
      ],
    });
  }
}
