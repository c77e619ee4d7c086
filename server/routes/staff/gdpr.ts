import type { staffGdprRoutes } from '../../../api/routes/staff-gdpr.js';
import { anonymiseFamily } from '../../../core/gdpr/anonymise.js';
import { exportFamilyData } from '../../../core/gdpr/export.js';
import { familyGdprView } from '../../../core/gdpr/guard.js';
import { gdprSettingsView, listInactiveFamilies, saveGdprSettings } from '../../../core/gdpr/retention.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

/** The families' rights under the GDPR: export (desk), anonymisation and retention (admin). */
export function staffGdprHandlers(deps: ServerDeps): Handlers<typeof staffGdprRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.familyGdpr': ({ me, params }) => familyGdprView(ctx, me.actor, params.id),
    'staff.exportFamilyData': async ({ me, params, res }) => {
      const out = await exportFamilyData(ctx, me.actor, { familyId: params.id });
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Disposition', contentDisposition(out.filename, 'attachment'));
      res.setHeader('Cache-Control', 'no-store');
      await new Promise<void>((resolve) => {
        out.stream.on('error', () => {
          // Headers are gone: cut the answer so the download is visibly broken, never a truncated zip taken as whole.
          res.destroy();
          resolve();
        });
        res.on('close', resolve);
        out.stream.pipe(res);
      });
    },
    'staff.anonymiseFamily': ({ me, params, body }) => anonymiseFamily(ctx, me.actor, { familyId: params.id, body }),
    'staff.gdprSettings': ({ me }) => gdprSettingsView(deps.db, me.actor),
    'staff.saveGdprSettings': ({ me, body }) => saveGdprSettings(ctx, me.actor, body),
    'staff.inactiveFamilies': ({ me }) => listInactiveFamilies(ctx, me.actor),
  };
}
