import { RunningApp, serveApp } from '@ces/server-kit';
import { RepeaterAuth } from './auth/repeater-auth';
import { REPEATER_CONFIG, RepeaterConfig } from './config/repeater-config';
import { RepeaterModule, RepeaterSettings } from './repeater.module';

export type RunningRepeater = RunningApp<RepeaterConfig>;

/** Creates and starts a repeater; used by main.ts and by the end-to-end tests. */
export function startRepeater(settings: RepeaterSettings = {}): Promise<RunningRepeater> {
  return serveApp<RepeaterConfig>({
    module: RepeaterModule.forRoot(settings),
    config: REPEATER_CONFIG,
    docs: {
      title: 'CES repeater',
      description: 'The gateway between outside systems and a CES hub.',
    },
    upgradeGuard: (app) => app.get(RepeaterAuth).checkUpgrade,
  });
}
