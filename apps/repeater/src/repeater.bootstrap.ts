import { RunningApp, serveApp } from '@ces/server-kit';
import type { RepeaterConfig } from './config/repeater-config';
import type { RepeaterSettings } from './config/repeater-environment';
import { RepeaterModule } from './repeater.module';

export type RunningRepeater = RunningApp<RepeaterConfig>;

/** Creates and starts a repeater; used by main.ts and by the end-to-end tests. */
export function startRepeater(settings: RepeaterSettings = {}): Promise<RunningRepeater> {
  return serveApp<RepeaterConfig>(RepeaterModule.forRoot(settings));
}
