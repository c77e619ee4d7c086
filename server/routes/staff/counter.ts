import type { staffCounterRoutes } from '../../../api/routes/staff-counter.js';
import { communeTitle } from '../../../api/commune.js';
import { getCommune } from '../../../core/commune.js';
import { notFound } from '../../../core/errors.js';
import { writeCashJournalXlsx } from '../../../core/exports.js';
import { cashJournalPdf } from '../../../core/pdf/cash-journal.js';
import { receiptPdf } from '../../../core/pdf/receipt.js';
import { cancelCounterSale, cashJournal, cashToday, closeCashDay, getReceipt, listReceipts, recordCounterSale } from '../../../core/sales.js';
import { familyTicketPrices } from '../../../core/tariffs.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { sendViewablePdf } from './pdf.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Encaissement, receipts and the day's cash journal (secretariat and admin: the régie). */
export function staffCounterHandlers(deps: ServerDeps): Handlers<typeof staffCounterRoutes> {
  const ctx = coreContext(deps);
  const receiptOr404 = async (id: number) => {
    const receipt = await getReceipt(deps.db, id);
    if (!receipt) throw notFound('Reçu');
    return receipt;
  };
  return {
    'staff.sell': ({ me, body }) => recordCounterSale(ctx, me.actor, body),
    'staff.familyPrices': async ({ params }) => ({ prices: await familyTicketPrices(deps.db, params.id) }),
    'staff.familyReceipts': async ({ params }) => ({ receipts: await listReceipts(deps.db, params.id, 50) }),
    'staff.receipt': ({ params }) => receiptOr404(params.id),
    'staff.receiptPdf': async ({ params, res }) => {
      const receipt = await receiptOr404(params.id);
      sendViewablePdf(res, await receiptPdf(receipt, await getCommune(deps.db), deps.clock.now()), `recu-${receipt.numberLabel}.pdf`);
    },
    'staff.cancelSale': ({ me, params, body }) => cancelCounterSale(ctx, me.actor, { receiptId: params.id, reason: body.reason }),

    'staff.cashToday': () => cashToday(ctx),
    'staff.cashJournal': ({ params, query }) => cashJournal(ctx, params.date, query.session),
    'staff.cashJournalPdf': async ({ params, query, res }) => {
      const journal = await cashJournal(ctx, params.date, query.session);
      const name = `journal-de-caisse-${params.date}-session-${journal.session}.pdf`;
      sendViewablePdf(res, await cashJournalPdf(journal, await getCommune(deps.db), deps.clock.now()), name);
    },
    'staff.cashJournalXlsx': async ({ params, query, res }) => {
      const journal = await cashJournal(ctx, params.date, query.session);
      res.setHeader('Content-Type', XLSX_TYPE);
      res.setHeader('Content-Disposition', contentDisposition(`journal-de-caisse-${params.date}-session-${journal.session}.xlsx`));
      await writeCashJournalXlsx(journal, res, communeTitle(await getCommune(deps.db)));
    },
    'staff.closeCashDay': ({ me, params }) => closeCashDay(ctx, me.actor, { date: params.date }),
  };
}
