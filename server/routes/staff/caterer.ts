import { communeTitle } from '../../../api/commune.js';
import type { staffCatererRoutes } from '../../../api/routes/staff-caterer.js';
import { getCatererOrder, setAdultMeals } from '../../../core/caterer-order.js';
import { writeCatererOrderXlsx } from '../../../core/caterer-order-xlsx.js';
import { getCommune } from '../../../core/commune.js';
import { catererOrderPdf } from '../../../core/pdf/caterer-order.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { XLSX_TYPE } from './counter.js';
import { sendViewablePdf } from './pdf.js';

/** "Commande traiteur": every staff role, the canteen included (core authorises and audits). */
export function staffCatererHandlers(deps: ServerDeps): Handlers<typeof staffCatererRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.catererOrder': ({ me, query }) => getCatererOrder(ctx, me.actor, query),
    'staff.catererOrderPdf': async ({ me, query, res }) => {
      const order = await getCatererOrder(ctx, me.actor, query);
      sendViewablePdf(res, await catererOrderPdf(order, await getCommune(deps.db), deps.clock.now()), `commande-traiteur-${query.from}-${query.to}.pdf`);
    },
    'staff.catererOrderXlsx': async ({ me, query, res }) => {
      const order = await getCatererOrder(ctx, me.actor, query);
      const company = communeTitle(await getCommune(deps.db));
      res.setHeader('Content-Type', XLSX_TYPE);
      res.setHeader('Content-Disposition', contentDisposition(`commande-traiteur-${query.from}-${query.to}.xlsx`));
      await writeCatererOrderXlsx(order, res, company);
    },
    'staff.setAdultMeals': ({ me, body }) => setAdultMeals(ctx, me.actor, body),
  };
}
