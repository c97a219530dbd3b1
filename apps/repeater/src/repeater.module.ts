import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { AuditTrail, TokenVerifier, validateEnvironment } from '@ces/server-kit';
import { MetricsModule } from '@ces/server-kit';
import { APP_GUARD } from '@nestjs/core';
import { HttpAuthGuard } from './auth/http-auth.guard';
import { RepeaterAuth } from './auth/repeater-auth';
import { REPEATER_CONFIG, RepeaterConfig, repeaterConfigFrom } from './config/repeater-config';
import { RepeaterEnvironment } from './config/repeater-environment';
import {
  RepeaterDashboardController,
  RepeaterDashboardStreamController,
} from './dashboard/repeater-dashboard.controller';
import { EgressService } from './egress/egress.service';
import { TargetsService } from './egress/targets.service';
import { HealthController } from './health/health.controller';
import { IngressService } from './ingress/ingress.service';
import { RequestGrantsService } from './ingress/request-grants.service';
import { SendController } from './ingress/send.controller';
import { RepeaterLoggerModule } from './metrics/repeater-logger.module';
import { RepeaterMetrics } from './metrics/repeater-metrics';
import { ConnectGateway, RoomConnectGateway } from './outside/outside.gateway';
import { OutsideAdmissionService } from './outside/outside-admission.service';
import { OutsideConnectionsService } from './outside/outside-connections.service';
import { UndecodablePathGuard } from './outside/undecodable-path.guard';
import { RepeaterCounters } from './status/repeater-counters';
import { StatusController } from './status/status.controller';
import { StatusService } from './status/status.service';
import { HubUplinkService } from './uplink/hub-uplink.service';

export type RepeaterSettings = Partial<
  Record<keyof RepeaterEnvironment, string | number | boolean>
>;

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
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          skipProcessEnv: true,
          // The settings are returned as one object: Nest copies string values of a validated
          // config back into process.env, which would leak one app's settings into the next.
          validate: (env) => ({
            repeater: validateEnvironment(RepeaterEnvironment, { ...env, ...settings }),
          }),
        }),
        TerminusModule,
        RepeaterLoggerModule,
        MetricsModule.forRoot(),
      ],
      controllers: [
        HealthController,
        SendController,
        StatusController,
        RepeaterDashboardController,
        RepeaterDashboardStreamController,
      ],
      providers: [
        { provide: REPEATER_CONFIG, inject: [ConfigService], useFactory: repeaterConfigFrom },
        { provide: APP_GUARD, useClass: HttpAuthGuard },
        RepeaterAuth,
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
        RepeaterCounters,
        RepeaterMetrics,
        RequestGrantsService,
        RoomConnectGateway,
        StatusService,
        TargetsService,
        UndecodablePathGuard,
      ],
    };
  }
}
