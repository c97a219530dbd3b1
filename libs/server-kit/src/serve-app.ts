import type { DynamicModule } from '@nestjs/common';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { CesWsAdapter } from './ces-ws-adapter';
import { exitCleanlyOnSignals } from './graceful-shutdown';
import { HTTP_ACCESS, HttpAccess } from './http/http-access';
import { jsonBodiesOnly } from './http/json-bodies';
import { APP_CONFIG, APP_DOCS, AppDocs, UPGRADE_GUARD } from './app-module';
import { UpgradeGuard } from './upgrade-refusal';

/** The settings `serveApp` reads from every app's validated configuration. */
export interface ServedConfig {
  host: string;
  port: number;
  frameLimits: { maxFrameBytes: number };
  perMessageDeflate: boolean;
  /** false: the app answers pings itself (so pongs count against a peer's send budget). */
  autoPong?: boolean;
}

export interface RunningApp<C> {
  app: NestExpressApplication;
  config: C;
  port: number;
}

/**
 * Creates a Nest app of this system and starts it: pino logs, OpenAPI at /docs, JSON-only
 * bodies up to the frame limit, the CES websocket adapter, and the port (0: an ephemeral one).
 * The module is an `appModule`.
 */
export async function serveApp<C extends ServedConfig>(
  module: DynamicModule,
): Promise<RunningApp<C>> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true });
  const config = app.get<C>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  SwaggerModule.setup('docs', app, () =>
    SwaggerModule.createDocument(app, openApiInfo(app.get<AppDocs>(APP_DOCS))),
  );
  app.use(jsonBodiesOnly(app.get<HttpAccess>(HTTP_ACCESS)));
  app.useBodyParser('json', { limit: config.frameLimits.maxFrameBytes });
  app.useWebSocketAdapter(
    new CesWsAdapter(app, {
      upgradeGuard: app.get<UpgradeGuard | null>(UPGRADE_GUARD) ?? undefined,
      serverOptions: {
        maxPayload: config.frameLimits.maxFrameBytes,
        perMessageDeflate: config.perMessageDeflate,
        autoPong: config.autoPong ?? true,
      },
    }),
  );
  await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { app, config, port };
}

function openApiInfo(docs: AppDocs) {
  const builder = new DocumentBuilder()
    .addBearerAuth()
    .setTitle(docs.title)
    .setDescription(docs.description);
  return (docs.version ? builder.setVersion(docs.version) : builder).build();
}

/**
 * An app's main: starts it, exits cleanly on SIGTERM/SIGINT, and logs `started(config)`;
 * a start that fails (a configuration error names the setting) prints its message and exits 1.
 */
export function runMain<C>(
  name: string,
  start: () => Promise<RunningApp<C>>,
  started: (config: C) => string,
): void {
  const logger = new NestLogger(name);
  start()
    .then(({ app, config, port }) => {
      exitCleanlyOnSignals(app, logger);
      logger.log(`${started(config)} listening on port ${port}`);
    })
    .catch((error: Error) => {
      console.error(error.message);
      process.exit(1);
    });
}
