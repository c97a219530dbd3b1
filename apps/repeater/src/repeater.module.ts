import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { AuditTrail, ENV_FILE } from '@ces/server-kit';
import { MetricsModule } from '@ces/server-kit';
import { APP_GUARD } from '@nestjs/core';
import { HttpAuthGuard } from './auth/http-auth.guard';
import { RepeaterAuth } from './auth/repeater-auth';
import { REPEATER_CONFIG, RepeaterConfig, repeaterConfigFrom } from './config/repeater-config';
import { RepeaterEnvironment } from './config/repeater-environment';
import { validateRepeaterEnvironment } from './config/validate-repeater-environment';
import {
  RepeaterDashboardController,
  RepeaterDashboardStreamController,
} from './dashboard/repeater-dashboard.controller';
import { EgressService } from './egress/egress.service';
import { TargetsService } from './egress/targets.service';
import { HealthController } from './health/health.controller';
import { SendController } from './ingress/send.controller';
import { RepeaterLoggerModule } from './metrics/repeater-logger.module';
import { RepeaterMetrics } from './metrics/repeater-metrics';
import { ConnectGateway, RoomConnectGateway } from './outside/outside.gateway';
import { OutsideConnectionsService } from './outside/outside-connections.service';
import { RepeaterCounters } from './status/repeater-counters';
import { StatusController } from './status/status.controller';
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
          // .env in the working directory, under the process environment (which wins).
          envFilePath: ENV_FILE,
          skipProcessEnv: true,
          // The settings are returned as one object: Nest copies string values of a validated
          // config back into process.env, which would leak one app's settings into the next.
          validate: (env) => ({
            repeater: validateRepeaterEnvironment({ ...env, ...settings }),
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
