import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CesWsAdapter } from '@ces/protocol/server';
import { Logger } from 'nestjs-pino';
import { RepeaterAuth } from './auth/repeater-auth';
import { REPEATER_CONFIG, RepeaterConfig } from './config/repeater-config';
import { RepeaterModule, RepeaterSettings } from './repeater.module';

export interface RunningRepeater {
  app: NestExpressApplication;
  config: RepeaterConfig;
  port: number;
}

/** Creates and starts a repeater; used by main.ts and by the end-to-end tests. */
export async function startRepeater(settings: RepeaterSettings = {}): Promise<RunningRepeater> {
  const app = await NestFactory.create<NestExpressApplication>(RepeaterModule.forRoot(settings), {
    bufferLogs: true,
  });
  const config = app.get<RepeaterConfig>(REPEATER_CONFIG);
  app.useLogger(app.get(Logger));
  const docs = new DocumentBuilder()
    .setTitle('CES repeater')
    .setDescription('The gateway between outside systems and a CES hub.')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, docs));
  app.useBodyParser('json', { limit: config.frameLimits.maxFrameBytes });
  app.useWebSocketAdapter(
    new CesWsAdapter(app, {
      upgradeGuard: app.get(RepeaterAuth).checkUpgrade,
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
