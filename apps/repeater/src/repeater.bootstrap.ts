import { RunningApp, serveApp } from '@ces/server-kit';
import { RepeaterAuth } from './auth/repeater-auth';
import { REPEATER_CONFIG, RepeaterConfig } from './config/repeater-config';
import { RepeaterModule, RepeaterSettings } from './repeater.module';

export type RunningRepeater = RunningApp<RepeaterConfig>;

/** Creates and starts a repeater; used by main.ts and by the end-to-end tests. */
export function startRepeater(settings: RepeaterSettings = {}): Promise<RunningRepeater> {
  return serveApp({
    module: RepeaterModule.forRoot(settings),
    config: (app) => app.get<RepeaterConfig>(REPEATER_CONFIG),
    listen: (config) => ({
      host: config.host,
      port: config.port,
      maxFrameBytes: config.frameLimits.maxFrameBytes,
      perMessageDeflate: config.perMessageDeflate,
    }),
    docs: (builder) =>
      builder
        .setTitle('CES repeater')
        .setDescription('The gateway between outside systems and a CES hub.')
        .build(),
    upgradeGuard: (app) => app.get(RepeaterAuth).checkUpgrade,
  });
}
