import type { staffVersementRoutes } from '../../../api/routes/staff-versement.js';
import { communeTitle } from '../../../api/commune.js';
import { cashCountState, recordCashCount } from '../../../core/cash-count.js';
import { getCommune } from '../../../core/commune.js';
import { versementPdf } from '../../../core/pdf/versement.js';
import { establishVersement, getVersement, listVersements, markVersementSent, previewVersement } from '../../../core/versement.js';
import { writeVersementXlsx } from '../../../core/versement-xlsx.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { XLSX_TYPE } from './counter.js';
import { sendViewablePdf } from './pdf.js';

/** Cash count at closure and état de versement (the régie: secretariat and admin). */
export function staffVersementHandlers(deps: ServerDeps): Handlers<typeof staffVersementRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.cashCount': ({ me, params, query }) => cashCountState(ctx, me.actor, params.date, query.session),
    'staff.recordCashCount': ({ me, params, body }) => recordCashCount(ctx, me.actor, { date: params.date, ...body }),
    'staff.versements': ({ me }) => listVersements(ctx, me.actor),
    'staff.versementPreview': ({ me, query }) => previewVersement(ctx, me.actor, query),
    'staff.establishVersement': ({ me, body }) => establishVersement(ctx, me.actor, body),
    'staff.versement': ({ me, params }) => getVersement(ctx, me.actor, params.id),
    'staff.versementPdf': async ({ me, params, res }) => {
      const v = await getVersement(ctx, me.actor, params.id);
      sendViewablePdf(res, await versementPdf(v, await getCommune(deps.db)), `etat-de-versement-${v.numberLabel}.pdf`);
    },
    'staff.versementXlsx': async ({ me, params, res }) => {
      const v = await getVersement(ctx, me.actor, params.id);
      res.setHeader('Content-Type', XLSX_TYPE);
      res.setHeader('Content-Disposition', contentDisposition(`etat-de-versement-${v.numberLabel}.xlsx`));
      await writeVersementXlsx(v, res, communeTitle(await getCommune(deps.db)));
    },
    'staff.markVersementSent': ({ me, params }) => markVersementSent(ctx, me.actor, params.id),
  };
}
