import { RunningApp, serveApp } from '@ces/server-kit';
import type { HubConfig } from './config/hub-config';
import type { HubSettings } from './config/hub-environment';
import { HubModule } from './hub.module';

export type RunningHub = RunningApp<HubConfig>;

/** Creates and starts a hub; used by main.ts and by the end-to-end tests. */
export function startHub(settings: HubSettings = {}): Promise<RunningHub> {
  return serveApp<HubConfig>(HubModule.forRoot(settings));
}
