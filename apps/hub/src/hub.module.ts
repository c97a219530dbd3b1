import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import {
  appConfigModule,
  appLoggerModule,
  AppSettings,
  DASHBOARD,
  DashboardController,
  DashboardStreamController,
  HEALTH_CHECKS,
  HealthController,
  httpAccessProviders,
  MetricsModule,
} from '@ces/server-kit';
import { AuditService } from './audit/audit.service';
import { TokenVerifier } from './auth/token-verifier.service';
import { HUB_CONFIG, HubConfig, hubConfigFrom } from './config/hub-config';
import { HubEnvironment } from './config/hub-environment';
import { ConnectGateway } from './connections/connect.gateway';
import { ConnectionsService } from './connections/connections.service';
import { KeepaliveService } from './connections/keepalive.service';
import { UpgradeGuardService } from './connections/upgrade-guard.service';
import { hubDashboard } from './dashboard/hub-dashboard';
import { EventController } from './events/event.controller';
import { EventForwarder } from './forwarding/event-forwarder.service';
import { GroupBacklogs } from './forwarding/group-backlogs';
import { routerHealth } from './health/router-health';
import { InterconnectController } from './interconnect/interconnect.controller';
import { InterconnectService } from './interconnect/interconnect.service';
import { HubMetrics } from './metrics/hub-metrics';
import { RoutingSampler } from './metrics/routing-sampler';
import { RoutingService } from './routing/routing.service';
import { SubscriptionRegistry } from './routing/subscription-registry';
import { HubCounters } from './status/hub-counters';
import { StatusController } from './status/status.controller';
import { StatusService } from './status/status.service';

export type HubSettings = AppSettings<HubEnvironment>;

/** The hub. `settings` override the environment (tests start hubs this way). */
@Module({})
export class HubModule {
  static forRoot(settings: HubSettings = {}): DynamicModule {
    return {
      module: HubModule,
      // Global, so that the logger module's factory can read HUB_CONFIG.
      global: true,
      exports: [HUB_CONFIG],
      imports: [
        appConfigModule('hub', HubEnvironment, settings),
        TerminusModule,
        appLoggerModule(HUB_CONFIG, (config: HubConfig) => ({
          level: config.logLevel,
          base: { app: 'hub', hubId: config.hubId },
          eventPaths: ['/event'],
        })),
        MetricsModule.forRoot([RoutingSampler]),
      ],
      controllers: [
        EventController,
        HealthController,
        InterconnectController,
        StatusController,
        DashboardController,
        DashboardStreamController,
      ],
      providers: [
        { provide: HUB_CONFIG, inject: [ConfigService], useFactory: hubConfigFrom },
        ...httpAccessProviders(TokenVerifier, HubCounters),
        { provide: HEALTH_CHECKS, inject: [ConnectionsService], useFactory: routerHealth },
        { provide: DASHBOARD, inject: [StatusService], useFactory: hubDashboard },
        AuditService,
        ConnectGateway,
        ConnectionsService,
        EventForwarder,
        GroupBacklogs,
        HubCounters,
        HubMetrics,
        InterconnectService,
        KeepaliveService,
        RoutingService,
        StatusService,
        SubscriptionRegistry,
        TokenVerifier,
        UpgradeGuardService,
      ],
    };
  }
}
