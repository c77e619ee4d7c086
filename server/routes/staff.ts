import { Router } from 'express';
import type { ServerDeps } from '../deps.js';
import { bookingHorizonRouter } from './staff/booking-horizon.js';
import { anyStaff } from './staff/guards.js';
import { importRouter } from './staff/import.js';
import { operationsRouter } from './staff/operations.js';
import { rentreeRouter } from './staff/rentree.js';
import { schoolCalendarRouter } from './staff/school-calendar.js';
import { settingsRouter } from './staff/settings.js';

/**
 * /api/staff: the staff console's API. Thin adapters over core/; the role of each group is in
 * ./staff/guards.ts and in the contract (api/staff.ts). Every staff change is audited by core.
 */
export function staffRouter(deps: ServerDeps): Router {
  const router = Router();
  // Signed-in staff only (401 otherwise, 403 for a parent), before any group's own role check.
  router.use(anyStaff);
  // Open to the canteen staff too: reference, pointage, meal lists, attendance exports.
  router.use(operationsRouter(deps));
  router.use(settingsRouter(deps));
  router.use(bookingHorizonRouter(deps));
  router.use(schoolCalendarRouter(deps));
  router.use(rentreeRouter(deps));
  router.use(importRouter(deps));
  return router;
}
