import type { staffBalanceRoutes } from '../../../api/routes/staff-balances.js';
import { listBalances } from '../../../core/balances.js';
import { familyReminders, reminderLetters, sendReminders } from '../../../core/reminders.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { sendViewablePdf } from './pdf.js';

/** "Soldes et relances" (admin and secretariat). */
export function staffBalanceHandlers(deps: ServerDeps): Handlers<typeof staffBalanceRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.balances': ({ me, query }) => listBalances(ctx, me.actor, query),
    'staff.sendReminders': ({ me, body }) => sendReminders(ctx, me.actor, body),
    'staff.reminderLetters': async ({ me, params, res }) => {
      const out = await reminderLetters(ctx, me.actor, params.batchKey);
      sendViewablePdf(res, out.pdf, out.filename);
    },
    'staff.familyReminders': ({ me, params }) => familyReminders(ctx, me.actor, params.id),
  };
}
