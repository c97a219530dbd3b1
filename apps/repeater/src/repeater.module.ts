import { DynamicModule, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { appModule, AuditTrail } from '@ces/server-kit';
import { TokenVerifier } from '@ces/server-kit';
import { RepeaterAuth } from './auth/repeater-auth';
import { REPEATER_CONFIG, RepeaterConfig, repeaterConfigFrom } from './config/repeater-config';
import { RepeaterEnvironment, RepeaterSettings } from './config/repeater-environment';
import { REPEATER_VERSION } from './config/repeater-version';
import { validateRepeaterEnvironment } from './config/validate-repeater-environment';
import { repeaterDashboard } from './dashboard/repeater-dashboard';
import { EgressService } from './egress/egress.service';
import { TargetsService } from './egress/targets.service';
import { uplinkHealth } from './health/uplink-health';
import { IngressService } from './ingress/ingress.service';
import { RequestGrantsService } from './ingress/request-grants.service';
import { SendController } from './ingress/send.controller';
import { RepeaterMetrics } from './metrics/repeater-metrics';
import { ConnectGateway, RoomConnectGateway } from './outside/outside.gateway';
import { OutsideAdmissionService } from './outside/outside-admission.service';
import { OutsideConnectionsService } from './outside/outside-connections.service';
import { UndecodablePathGuard } from './outside/undecodable-path.guard';
import { RepeaterCounters } from './status/repeater-counters';
import { StatusController } from './status/status.controller';
import { StatusService } from './status/status.service';
import { HubUplinkService } from './uplink/hub-uplink.service';

/** The repeater. `settings` override the environment (tests start repeaters this way). */
@Module({})
export class RepeaterModule {
  static forRoot(settings: RepeaterSettings = {}): DynamicModule {
    return appModule({
      module: RepeaterModule,
      name: 'repeater',
      docs: {
        title: 'CES repeater',
        description: 'The gateway between outside systems and a CES hub.',
        version: REPEATER_VERSION,
      },
      // `POST /send` and `POST /event`: one request per event.
      eventPaths: ['/send', '/event'],
      settings,
      environment: RepeaterEnvironment,
      validate: validateRepeaterEnvironment,
      config: { token: REPEATER_CONFIG, from: repeaterConfigFrom },
      logFields: (config: RepeaterConfig) => ({ repeaterId: config.repeaterId }),
      access: { verifier: RepeaterAuth, refusals: RepeaterCounters },
      health: { inject: [HubUplinkService], useFactory: uplinkHealth },
      dashboard: { inject: [ModuleRef], useFactory: repeaterDashboard },
      upgradeGuard: {
        inject: [RepeaterAuth],
        useFactory: (auth: RepeaterAuth) => auth.checkUpgrade,
      },
      controllers: [SendController, StatusController],
      providers: [
        // The repeater's verifier of outside credentials, for the grants of sockets and bodies.
        { provide: TokenVerifier, useExisting: RepeaterAuth },
        {
          provide: AuditTrail,
          inject: [REPEATER_CONFIG],
          useFactory: (config: RepeaterConfig) => new AuditTrail(config.audit),
        },
        ConnectGateway,
        EgressService,
        HubUplinkService,
        IngressService,
        OutsideAdmissionService,
        OutsideConnectionsService,
        RepeaterAuth,
        RepeaterCounters,
        RepeaterMetrics,
        RequestGrantsService,
        RoomConnectGateway,
        StatusService,
        TargetsService,
        UndecodablePathGuard,
      ],
    });
  }
}
