import type { staffOnlinePaymentRoutes } from '../../../api/routes/staff-online-payments.js';
import { listOnlinePayments, verifyOnlinePayment } from '../../../core/online-payments.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

/** "Paiements en ligne" of the régie (admin and secretariat). */
export function staffOnlinePaymentHandlers(deps: ServerDeps): Handlers<typeof staffOnlinePaymentRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.onlinePayments': ({ me, query }) => listOnlinePayments(ctx, me.actor, query),
    'staff.verifyOnlinePayment': ({ me, params }) => verifyOnlinePayment(ctx, me.actor, params.id),
  };
}
