import { Router } from 'express';
import type { BookingHorizonAdminView } from '../../../api/glance.js';
import { getBookingHorizonSetting, setBookingHorizon } from '../../../core/booking-horizon.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import { staffOf } from '../../session.js';
import { adminOnly, desk } from './guards.js';

/** The mairie's booking horizon, beside the activities: the desk reads it, the admin sets it (core audits). */
export function bookingHorizonRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  router.get('/booking-horizon', desk, async (req, res) => {
    const body: BookingHorizonAdminView = await getBookingHorizonSetting(ctx, staffOf(req).actor);
    res.json(body);
  });
  router.put('/booking-horizon', adminOnly, async (req, res) => {
    const body: BookingHorizonAdminView = await setBookingHorizon(ctx, staffOf(req).actor, req.body);
    res.json(body);
  });
  return router;
}
