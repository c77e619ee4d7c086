import type { parentCertificateRoutes } from '../../api/routes/parent-certificates.js';
import { childcareCertificate, presenceCertificate } from '../../core/certificates.js';
import { childcareCertificatePdf, presenceCertificatePdf } from '../../core/pdf/certificates.js';
import type { ServerDeps } from '../deps.js';
import { coreContext, sendPdf } from '../http.js';
import type { Handlers } from '../route-mount.js';

/** The parent's own attestations: always for the session's family, never one named in the request. */
export function parentCertificateHandlers(deps: ServerDeps): Handlers<typeof parentCertificateRoutes> {
  const ctx = coreContext(deps);
  return {
    'parent.childcareCertificate': ({ me, query }) => childcareCertificate(ctx, me.actor, { familyId: me.familyId, year: query.annee }),
    'parent.childcareCertificatePdf': async ({ me, query, res }) => {
      const { bytes, filename } = await childcareCertificatePdf(ctx, me.actor, { familyId: me.familyId, year: query.annee });
      sendPdf(res, bytes, filename);
    },
    'parent.presenceCertificate': ({ me, query }) => presenceCertificate(ctx, me.actor, { familyId: me.familyId, from: query.du, to: query.au }),
    'parent.presenceCertificatePdf': async ({ me, query, res }) => {
      const { bytes, filename } = await presenceCertificatePdf(ctx, me.actor, { familyId: me.familyId, from: query.du, to: query.au });
      sendPdf(res, bytes, filename);
    },
  };
}
