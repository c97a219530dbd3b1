import type { Dashboard } from '@ces/server-kit';
import type { StatusService } from '../status/status.service';
import { HUB_DASHBOARD_HTML, HUB_DASHBOARD_SCRIPT } from './hub-dashboard-page';

/** The hub's dashboard: its page, live with the /status document. */
export function hubDashboard(status: StatusService): Dashboard {
  return {
    html: HUB_DASHBOARD_HTML,
    script: HUB_DASHBOARD_SCRIPT,
    status: () => status.overview(),
  };
}
