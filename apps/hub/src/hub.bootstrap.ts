import { RunningApp, serveApp } from '@ces/server-kit';
import { HUB_CONFIG, HubConfig } from './config/hub-config';
import { UpgradeGuardService } from './connections/upgrade-guard.service';
import { HubModule, HubSettings } from './hub.module';
import { HUB_VERSION } from './status/hub-version';

export type RunningHub = RunningApp<HubConfig>;

/** Creates and starts a hub; used by main.ts and by the end-to-end tests. */
export function startHub(settings: HubSettings = {}): Promise<RunningHub> {
  return serveApp<HubConfig>({
    module: HubModule.forRoot(settings),
    config: HUB_CONFIG,
    docs: {
      title: 'CES hub',
      description:
        'Routes room-tagged events between messengers, repeaters and other hubs. Peers connect over ' +
        'websockets at /connect/messenger, /connect/repeater and /connect/hub (docs/protocol.md).',
      version: HUB_VERSION,
    },
    upgradeGuard: (app) => app.get(UpgradeGuardService).check,
  });
}
