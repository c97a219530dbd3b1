import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CesWsAdapter } from '@ces/protocol/server';
import { Logger } from 'nestjs-pino';
import { HUB_CONFIG, HubConfig } from './config/hub-config';
import { UpgradeGuardService } from './connections/upgrade-guard.service';
import { HubModule, HubSettings } from './hub.module';
import { HUB_VERSION } from './status/hub-version';

export interface RunningHub {
  app: NestExpressApplication;
  config: HubConfig;
  port: number;
}

/** Creates and starts a hub; used by main.ts and by the end-to-end tests. */
export async function startHub(settings: HubSettings = {}): Promise<RunningHub> {
  const app = await NestFactory.create<NestExpressApplication>(HubModule.forRoot(settings), {
    bufferLogs: true,
  });
  const config = app.get<HubConfig>(HUB_CONFIG);
  app.useLogger(app.get(Logger));
  const docs = new DocumentBuilder()
    .setTitle('CES hub')
    .setDescription(
      'Routes room-tagged events between messengers, repeaters and other hubs. Peers connect over ' +
        'websockets at /connect/messenger, /connect/repeater and /connect/hub (docs/protocol.md).',
    )
    .setVersion(HUB_VERSION)
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, docs));
  app.useBodyParser('json', { limit: config.frameLimits.maxFrameBytes });
  app.useWebSocketAdapter(
    new CesWsAdapter(app, {
      upgradeGuard: app.get(UpgradeGuardService).check,
      serverOptions: {
        maxPayload: config.frameLimits.maxFrameBytes,
        perMessageDeflate: config.perMessageDeflate,
      },
    }),
  );
  await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
  const address = app.getHttpServer().address();
  return { app, config, port: typeof address === 'object' && address ? address.port : config.port };
}
