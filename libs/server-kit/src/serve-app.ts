import type { DynamicModule } from '@nestjs/common';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { CesWsAdapter } from './ces-ws-adapter';
import { exitCleanlyOnSignals } from './graceful-shutdown';
import { reportStartupFailure, reportStartupWarning, StartupContext } from './startup-error';
import { readEnvironment } from './settings';
import { HTTP_ACCESS, HttpAccess } from './http/http-access';
import { jsonBodiesOnly } from './http/json-bodies';
import { gateTcpConnections, TcpGateOptions } from './http/tcp-gate';
import { APP_CONFIG, APP_DOCS, AppDocs, UPGRADE_GUARD } from './app-module';
import { UpgradeGuard } from './upgrade-refusal';

/** The settings `serveApp` reads from every app's validated configuration. */
export interface ServedConfig {
  host: string;
  port: number;
  frameLimits: { maxFrameBytes: number };
  /** Upgrade paths whose sockets take frames up to a different limit (hub links). */
  frameLimitsByPath?: Readonly<Record<string, number>>;
  perMessageDeflate: boolean;
  /** false: the app answers pings itself (so pongs count against a peer's send budget). */
  autoPong?: boolean;
  /** Limits on TCP connections before they are websocket peers. */
  tcp?: TcpGateOptions;
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
      maxPayloadByPath: config.frameLimitsByPath,
    }),
  );
  if (config.tcp) gateTcpConnections(app.getHttpServer(), config.tcp);
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

/** What an app's `main.ts` gives `runMain`. */
export interface MainParts<C> {
  startup: StartupContext;
  /** Validates the raw settings (environment over .env); throws a configuration error. */
  validate(raw: Record<string, unknown>): unknown;
  /** Variables with the app's prefix that are no setting of it, each as a warning. */
  unknownSettings(raw: Record<string, unknown>): string[];
  start(): Promise<RunningApp<C>>;
  /** How the app names itself once listening, e.g. `hub hub-a`. */
  started(config: C): string;
}

/**
 * An app's main. `node main.js` starts it (and exits cleanly on SIGTERM/SIGINT);
 * `node main.js --check` only validates its configuration and exits 0 or 1. The
 * configuration is checked before Nest starts, so a bad setting is one plain line on
 * stderr naming it, not a stack trace from Nest's loader.
 */
export function runMain<C>(parts: MainParts<C>): void {
  const main = async () => {
    const raw = readEnvironment();
    for (const warning of parts.unknownSettings(raw)) reportStartupWarning(warning, parts.startup);
    parts.validate(raw);
    if (process.argv.includes('--check')) {
      process.stdout.write(`${parts.startup.app}: the configuration is valid\n`);
      return;
    }
    const app = parts.startup.app;
    const logger = new NestLogger(app.charAt(0).toUpperCase() + app.slice(1));
    const running = await parts.start();
    exitCleanlyOnSignals(running.app, logger);
    const { config, port } = running;
    logger.log(`${parts.started(config)} listening on port ${port}`);
  };
  main().catch((error: unknown) => {
    reportStartupFailure(error, parts.startup);
    process.exit(1);
  });
}
