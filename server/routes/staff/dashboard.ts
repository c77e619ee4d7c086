import type { staffDashboardRoutes } from '../../../api/routes/staff-dashboard.js';
import { dashboard } from '../../../core/dashboard.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

/** "Tableau de bord" (admin and secretariat). */
export function staffDashboardHandlers(deps: ServerDeps): Handlers<typeof staffDashboardRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.dashboard': ({ me }) => dashboard(ctx, me.actor),
  };
}
