import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import {
  appConfigModule,
  appLoggerModule,
  AppSettings,
  AuditTrail,
  DASHBOARD,
  DashboardController,
  DashboardStreamController,
  HEALTH_CHECKS,
  HealthController,
  httpAccessProviders,
  MetricsModule,
} from '@ces/server-kit';
import { RepeaterAuth } from './auth/repeater-auth';
import { REPEATER_CONFIG, RepeaterConfig, repeaterConfigFrom } from './config/repeater-config';
import { RepeaterEnvironment } from './config/repeater-environment';
import { repeaterDashboard } from './dashboard/repeater-dashboard';
import { EgressService } from './egress/egress.service';
import { TargetsService } from './egress/targets.service';
import { uplinkHealth } from './health/uplink-health';
import { SendController } from './ingress/send.controller';
import { RepeaterMetrics } from './metrics/repeater-metrics';
import { ConnectGateway, RoomConnectGateway } from './outside/outside.gateway';
import { OutsideConnectionsService } from './outside/outside-connections.service';
import { RepeaterCounters } from './status/repeater-counters';
import { StatusController } from './status/status.controller';
import { HubUplinkService } from './uplink/hub-uplink.service';

export type RepeaterSettings = AppSettings<RepeaterEnvironment>;

/** The repeater. `settings` override the environment (tests start repeaters this way). */
@Module({})
export class RepeaterModule {
  static forRoot(settings: RepeaterSettings = {}): DynamicModule {
    return {
      module: RepeaterModule,
      // Global, so that the logger module's factory can read REPEATER_CONFIG.
      global: true,
      exports: [REPEATER_CONFIG],
      imports: [
        appConfigModule('repeater', RepeaterEnvironment, settings),
        TerminusModule,
        appLoggerModule(REPEATER_CONFIG, (config: RepeaterConfig) => ({
          level: config.logLevel,
          base: { app: 'repeater', repeaterId: config.repeaterId },
          // `POST /send` and `POST /event`: one request per event.
          eventPaths: ['/send', '/event'],
        })),
        MetricsModule.forRoot(),
      ],
      controllers: [
        HealthController,
        SendController,
        StatusController,
        DashboardController,
        DashboardStreamController,
      ],
      providers: [
        { provide: REPEATER_CONFIG, inject: [ConfigService], useFactory: repeaterConfigFrom },
        ...httpAccessProviders(RepeaterAuth, RepeaterCounters),
        { provide: HEALTH_CHECKS, inject: [HubUplinkService], useFactory: uplinkHealth },
        { provide: DASHBOARD, inject: [ModuleRef], useFactory: repeaterDashboard },
        RepeaterAuth,
        {
          provide: AuditTrail,
          inject: [REPEATER_CONFIG],
          useFactory: (config: RepeaterConfig) => new AuditTrail(config.audit),
        },
        ConnectGateway,
        EgressService,
        HubUplinkService,
        OutsideConnectionsService,
        RepeaterCounters,
        RepeaterMetrics,
        RoomConnectGateway,
        TargetsService,
      ],
    };
  }
}
