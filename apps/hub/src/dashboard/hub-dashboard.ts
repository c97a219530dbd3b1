import type { Dashboard } from '@ces/server-kit';
import type { RoomRates } from '../status/room-rates.service';
import type { StatusService } from '../status/status.service';
import { HUB_DASHBOARD_HTML, HUB_DASHBOARD_SCRIPT } from './hub-dashboard-page';

/** The hub's dashboard: its page, live with the /status document (peer counts, not the peers) and the top rooms. */
export function hubDashboard(status: StatusService, roomRates: RoomRates): Dashboard {
  return {
    html: HUB_DASHBOARD_HTML,
    script: HUB_DASHBOARD_SCRIPT,
    status: () => ({ ...status.overview(), topRooms: roomRates.top() }),
    totals: () => status.rateTotals(),
  };
}
