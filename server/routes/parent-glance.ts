import { Router } from 'express';
import { monthQuerySchema, planningQuerySchema, type AlertThresholdResponse, type MonthResponse, type WeekGridResponse } from '../../api/parent.js';
import { setAlertThreshold } from '../../core/alert-threshold.js';
import { getMonthView } from '../../core/month-view.js';
import { getWeekGrid } from '../../core/planning.js';
import type { ServerDeps } from '../deps.js';
import { coreContext, defaultWeek, validate } from '../http.js';
import { parentOf } from '../session.js';

/**
 * The week and the month at a glance (issue 9), mounted by the parent router after its
 * sign-in check: "Mon mois", the summary's refresh after a tap, and the alert threshold.
 * The family always comes from the session.
 */
export function parentGlanceRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  router.get('/month', async (req, res) => {
    const { month } = validate(monthQuerySchema, req.query);
    const me = parentOf(req);
    const body: MonthResponse = await getMonthView(ctx, me.actor, { familyId: me.familyId, month });
    res.json(body);
  });

  // The summary above the grid refreshes its totals and highlight after a tap, without the grid.
  router.get('/planning/glance', async (req, res) => {
    const { week } = validate(planningQuerySchema, req.query);
    const me = parentOf(req);
    const grid = await getWeekGrid(ctx, me.actor, { familyId: me.familyId, weekStart: week ?? defaultWeek(deps) });
    const body: Pick<WeekGridResponse, 'weekStart' | 'balances' | 'glance'> = { weekStart: grid.weekStart, balances: grid.balances, glance: grid.glance };
    res.json(body);
  });

  router.put('/alert-threshold', async (req, res) => {
    const me = parentOf(req);
    const body: AlertThresholdResponse = await setAlertThreshold(ctx, me.actor, { familyId: me.familyId, body: req.body });
    res.json(body);
  });

  return router;
}
