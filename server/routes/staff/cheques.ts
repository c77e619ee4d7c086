import type { staffChequeRoutes } from '../../../api/routes/staff-cheques.js';
import { chequesPage, createChequeDeposit, getChequeDeposit } from '../../../core/cheque-deposits.js';
import { rejectCheque } from '../../../core/cheque-rejection.js';
import { getCommune } from '../../../core/commune.js';
import { chequeDepositPdf } from '../../../core/pdf/cheque-deposit.js';
import { portalPublicUrl } from '../../../core/settings/portal.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { sendViewablePdf } from './pdf.js';

/** "Remise de chèques" of the régie (secretariat and admin). */
export function staffChequeHandlers(deps: ServerDeps): Handlers<typeof staffChequeRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.cheques': ({ me }) => chequesPage(ctx, me.actor),
    'staff.createChequeDeposit': ({ me, body }) => createChequeDeposit(ctx, me.actor, body),
    'staff.chequeDeposit': ({ me, params }) => getChequeDeposit(ctx, me.actor, params.id),
    'staff.chequeDepositPdf': async ({ me, params, res }) => {
      const deposit = await getChequeDeposit(ctx, me.actor, params.id);
      sendViewablePdf(res, await chequeDepositPdf(deposit, await getCommune(deps.db)), `bordereau-cheques-${deposit.numberLabel}.pdf`);
    },
    'staff.rejectCheque': async ({ me, params, body }) =>
      rejectCheque(ctx, me.actor, { receiptId: params.id, reason: body.reason, rejectedOn: body.rejectedOn, portalUrl: await portalPublicUrl(deps.db, deps.config) }),
  };
}
