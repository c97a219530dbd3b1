import type { ModuleRef } from '@nestjs/core';
import type { Dashboard } from '@ces/server-kit';
import { RepeaterCounters } from '../status/repeater-counters';
import { StatusController } from '../status/status.controller';
import { REPEATER_DASHBOARD_HTML, REPEATER_DASHBOARD_SCRIPT } from './repeater-dashboard-page';

/**
 * The repeater's dashboard: its page, live with the /status document. That document is
 * built by its controller, which is not a provider: it is looked up when first needed.
 */
export function repeaterDashboard(moduleRef: ModuleRef): Dashboard {
  let controller: StatusController | undefined;
  const statusController = (): StatusController => {
    controller ??= moduleRef.get<StatusController>(StatusController, { strict: false });
    return controller;
  };
  return {
    html: REPEATER_DASHBOARD_HTML,
    script: REPEATER_DASHBOARD_SCRIPT,
    status: () => statusController().status(),
    totals: () => moduleRef.get(RepeaterCounters, { strict: false }).rateTotals(),
  };
}
