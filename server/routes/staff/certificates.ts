import type { staffCertificateRoutes } from '../../../api/routes/staff-certificates.js';
import { childcareCertificate, familyInvoices, presenceCertificate } from '../../../core/certificates.js';
import { childcareCertificatePdf, familyInvoicePdf, presenceCertificatePdf } from '../../../core/pdf/certificates.js';
import { statementPdf } from '../../../core/pdf/invoice.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, sendPdf } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

/** "Factures et attestations" of the family page (secretariat and admin). */
export function staffCertificateHandlers(deps: ServerDeps): Handlers<typeof staffCertificateRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.familyInvoices': ({ me, params }) => familyInvoices(ctx, me.actor, params.id),
    'staff.familyInvoicePdf': async ({ me, params, res }) => {
      const { bytes, filename } = await familyInvoicePdf(ctx, me.actor, { familyId: params.id, invoiceId: params.invoiceId });
      sendPdf(res, bytes, filename);
    },
    'staff.familyStatementPdf': async ({ me, params, res }) => {
      const { bytes, filename } = await statementPdf(ctx, me.actor, { familyId: params.id, month: params.month });
      sendPdf(res, bytes, filename);
    },
    'staff.childcareCertificate': ({ me, params, query }) => childcareCertificate(ctx, me.actor, { familyId: params.id, year: query.annee }),
    'staff.childcareCertificatePdf': async ({ me, params, query, res }) => {
      const { bytes, filename } = await childcareCertificatePdf(ctx, me.actor, { familyId: params.id, year: query.annee });
      sendPdf(res, bytes, filename);
    },
    'staff.presenceCertificate': ({ me, params, query }) => presenceCertificate(ctx, me.actor, { familyId: params.id, from: query.du, to: query.au }),
    'staff.presenceCertificatePdf': async ({ me, params, query, res }) => {
      const { bytes, filename } = await presenceCertificatePdf(ctx, me.actor, { familyId: params.id, from: query.du, to: query.au });
      sendPdf(res, bytes, filename);
    },
  };
}
