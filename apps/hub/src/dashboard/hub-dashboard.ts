import type { Dashboard } from '@ces/server-kit';
import type { RoomRates } from '../status/room-rates.service';
import type { StatusService } from '../status/status.service';
import { busiestRooms } from './busiest-rooms';
import { HUB_DASHBOARD_HTML, HUB_DASHBOARD_SCRIPT } from './hub-dashboard-page';

/**
 * The hub's dashboard: its page, live with the /status document — peer counts instead of the
 * peers, the busiest subscribed rooms instead of all — and the top rooms by event rate.
 */
export function hubDashboard(status: StatusService, roomRates: RoomRates): Dashboard {
  return {
    html: HUB_DASHBOARD_HTML,
    script: HUB_DASHBOARD_SCRIPT,
    status: () => {
      const overview = status.overview();
      return { ...overview, ...busiestRooms(overview.rooms), topRooms: roomRates.top() };
    },
    totals: () => status.rateTotals(),
  };
}
