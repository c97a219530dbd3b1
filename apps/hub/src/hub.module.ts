import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ENV_FILE } from '@ces/server-kit';
import { AuditService } from './audit/audit.service';
import { HttpAuthGuard } from './auth/http-auth.guard';
import { TokenVerifier } from './auth/token-verifier.service';
import { HUB_CONFIG, hubConfigFrom } from './config/hub-config';
import { HubEnvironment } from './config/hub-environment';
import { validateHubEnvironment } from './config/validate-hub-environment';
import { ConnectGateway } from './connections/connect.gateway';
import { ConnectionsService } from './connections/connections.service';
import { KeepaliveService } from './connections/keepalive.service';
import { UpgradeGuardService } from './connections/upgrade-guard.service';
import {
  HubDashboardController,
  HubDashboardStreamController,
} from './dashboard/hub-dashboard.controller';
import { EventController } from './events/event.controller';
import { EventForwarder } from './forwarding/event-forwarder.service';
import { GroupBacklogs } from './forwarding/group-backlogs';
import { HealthController } from './health/health.controller';
import { InterconnectController } from './interconnect/interconnect.controller';
import { InterconnectService } from './interconnect/interconnect.service';
import { HubLoggerModule } from './logging/hub-logger.module';
import { HubMetrics } from './metrics/hub-metrics';
import { MetricsModule } from '@ces/server-kit';
import { RoutingSampler } from './metrics/routing-sampler';
import { RoutingService } from './routing/routing.service';
import { SubscriptionRegistry } from './routing/subscription-registry';
import { HubCounters } from './status/hub-counters';
import { StatusController } from './status/status.controller';
import { StatusService } from './status/status.service';

export type HubSettings = Partial<Record<keyof HubEnvironment, string | number | boolean>>;

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
        ConfigModule.forRoot({
          // .env in the working directory, under the process environment (which wins).
          envFilePath: ENV_FILE,
          skipProcessEnv: true,
          // The settings are returned as one object: Nest copies string values of a validated
          // config back into process.env, which would leak one app's settings into the next.
          validate: (env) => ({ hub: validateHubEnvironment({ ...env, ...settings }) }),
        }),
        TerminusModule,
        HubLoggerModule,
        MetricsModule.forRoot([RoutingSampler]),
      ],
      controllers: [
        EventController,
        HealthController,
        InterconnectController,
        StatusController,
        HubDashboardController,
        HubDashboardStreamController,
      ],
      providers: [
        { provide: HUB_CONFIG, inject: [ConfigService], useFactory: hubConfigFrom },
        { provide: APP_GUARD, useClass: HttpAuthGuard },
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
