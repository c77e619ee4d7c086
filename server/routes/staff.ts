import { Router } from 'express';
import type { ServerDeps } from '../deps.js';
import { counterRouter } from './staff/counter.js';
import { familiesRouter } from './staff/families.js';
import { gdprRouter } from './staff/gdpr.js';
import { anyStaff } from './staff/guards.js';
import { officeRouter } from './staff/office.js';
import { onlinePaymentsRouter } from './staff/online-payments.js';

/**
 * /api/staff: the staff console's API. Thin adapters over core/; the role of each group is in
 * ./staff/guards.ts and in the contract (api/staff.ts). Every staff change is audited by core.
 */
export function staffRouter(deps: ServerDeps): Router {
  const router = Router();
  // Signed-in staff only (401 otherwise, 403 for a parent), before any group's own role check.
  router.use(anyStaff);
  router.use(officeRouter(deps));
  router.use(counterRouter(deps));
  router.use(onlinePaymentsRouter(deps));
  router.use(familiesRouter(deps));
  router.use(gdprRouter(deps));
  return router;
}
