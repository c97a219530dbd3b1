import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { CesWsAdapter } from './ces-ws-adapter';
import { UpgradeGuard } from './upgrade-refusal';

/** What the hub and the repeater tell `serveApp` about themselves. */
export interface ServedApp<C> {
  module: DynamicModule;
  /** The app's validated settings, once the module has read them. */
  config(app: NestExpressApplication): C;
  listen(config: C): {
    host: string;
    port: number;
    maxFrameBytes: number;
    perMessageDeflate: boolean;
    /** false: the app answers pings itself (so pongs count against a peer's send budget). */
    autoPong?: boolean;
  };
  docs(builder: DocumentBuilder): Omit<OpenAPIObject, 'paths'>;
  upgradeGuard?(app: NestExpressApplication): UpgradeGuard;
}

export interface RunningApp<C> {
  app: NestExpressApplication;
  config: C;
  port: number;
}

/**
 * Creates a Nest app of this system and starts it: pino logs, OpenAPI at /docs, JSON bodies
 * up to the frame limit, the CES websocket adapter, and the port (0: an ephemeral one).
 */
export async function serveApp<C>(served: ServedApp<C>): Promise<RunningApp<C>> {
  const app = await NestFactory.create<NestExpressApplication>(served.module, { bufferLogs: true });
  const config = served.config(app);
  const { host, port, maxFrameBytes, perMessageDeflate, autoPong = true } = served.listen(config);
  app.useLogger(app.get(Logger));
  const docs = served.docs(new DocumentBuilder().addBearerAuth());
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, docs));
  app.useBodyParser('json', { limit: maxFrameBytes });
  app.useWebSocketAdapter(
    new CesWsAdapter(app, {
      upgradeGuard: served.upgradeGuard?.(app),
      serverOptions: { maxPayload: maxFrameBytes, perMessageDeflate, autoPong },
    }),
  );
  await (host ? app.listen(port, host) : app.listen(port));
  const address = app.getHttpServer().address();
  return { app, config, port: typeof address === 'object' && address ? address.port : port };
}
