import type { parentGlanceRoutes } from '../../api/routes/parent-glance.js';
import { setAlertThreshold } from '../../core/alert-threshold.js';
import { getMonthView } from '../../core/month-view.js';
import { getWeekGrid } from '../../core/planning.js';
import type { ServerDeps } from '../deps.js';
import { coreContext, defaultWeek } from '../http.js';
import type { Handlers } from '../route-mount.js';

/**
 * The week and the month at a glance (issue 9): "Mon mois", the summary's refresh after a tap,
 * and the alert threshold. The family always comes from the session.
 */
export function parentGlanceHandlers(deps: ServerDeps): Handlers<typeof parentGlanceRoutes> {
  const ctx = coreContext(deps);
  return {
    'parent.month': ({ me, query }) => getMonthView(ctx, me.actor, { familyId: me.familyId, month: query.month }),
    // The summary above the grid refreshes its totals and highlight after a tap, without the grid.
    'parent.weekGlance': async ({ me, query }) => {
      const grid = await getWeekGrid(ctx, me.actor, { familyId: me.familyId, weekStart: query.week ?? defaultWeek(deps) });
      return { weekStart: grid.weekStart, balances: grid.balances, glance: grid.glance };
    },
    // Core reads the euros typed with the same schema the table checked (its answer names the field).
    'parent.alertThreshold': ({ me, req }) => setAlertThreshold(ctx, me.actor, { familyId: me.familyId, body: req.body }),
  };
}
