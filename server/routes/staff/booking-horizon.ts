import type { staffBookingHorizonRoutes } from '../../../api/routes/staff-booking-horizon.js';
import { getBookingHorizonSetting, setBookingHorizon } from '../../../core/booking-horizon.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

/** The mairie's booking horizon, beside the activities: the desk reads it, the admin sets it (core audits). */
export function staffBookingHorizonHandlers(deps: ServerDeps): Handlers<typeof staffBookingHorizonRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.bookingHorizon': ({ me }) => getBookingHorizonSetting(ctx, me.actor),
    'staff.setBookingHorizon': ({ me, body }) => setBookingHorizon(ctx, me.actor, body),
  };
}
