import { communeTitle } from '../../../api/commune.js';
import type { staffCafRoutes } from '../../../api/routes/staff-caf.js';
import { cafReport } from '../../../core/caf.js';
import { writeCafXlsx } from '../../../core/caf-xlsx.js';
import { getCommune } from '../../../core/commune.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { XLSX_TYPE } from './counter.js';

/** "Statistiques CAF" (admin and secretariat): the figures, and the same in Excel. */
export function staffCafHandlers(deps: ServerDeps): Handlers<typeof staffCafRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.cafReport': ({ me, query }) => cafReport(ctx, me.actor, query),
    'staff.cafXlsx': async ({ me, query, res }) => {
      // Computed before the first byte: a refusal or a bad period still answers in JSON.
      const report = await cafReport(ctx, me.actor, query);
      res.setHeader('Content-Type', XLSX_TYPE);
      res.setHeader('Content-Disposition', contentDisposition(`statistiques-caf-${report.from}-${report.to}.xlsx`));
      await writeCafXlsx(report, res, communeTitle(await getCommune(deps.db)));
    },
  };
}
