import { Router } from 'express';
import { idParams } from '../../../api/common.js';
import { cancelSaleSchema, cashSessionQuery, dateParams, saleSchema, type CashJournalView, type CashTodayView, type FamilyPricesResponse, type ReceiptView } from '../../../api/staff.js';
import { notFound } from '../../../core/errors.js';
import { familyTicketPrices } from '../../../core/tariffs.js';
import { writeCashJournalXlsx } from '../../../core/exports.js';
import { cashJournalPdf } from '../../../core/pdf/cash-journal.js';
import { receiptPdf } from '../../../core/pdf/receipt.js';
import { getCommune } from '../../../core/commune.js';
import { communeTitle } from '../../../api/commune.js';
import { cancelCounterSale, cashJournal, cashToday, closeCashDay, getReceipt, listReceipts, recordCounterSale } from '../../../core/sales.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext, validate } from '../../http.js';
import { sendViewablePdf } from './pdf.js';
import { staffOf } from '../../session.js';
import { desk } from './guards.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Encaissement, receipts and the day's cash journal (secretariat and admin: the régie). */
export function counterRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  router.use(desk);

  router.post('/sales', async (req, res) => {
    const input = validate(saleSchema, req.body);
    const receipt: ReceiptView = await recordCounterSale(ctx, staffOf(req).actor, input);
    res.status(201).json(receipt);
  });

  router.get('/families/:id/prices', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const body: FamilyPricesResponse = { prices: await familyTicketPrices(deps.db, id) };
    res.json(body);
  });

  router.get('/families/:id/receipts', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const receipts: ReceiptView[] = await listReceipts(deps.db, id, 50);
    res.json({ receipts });
  });

  router.get('/receipts/:id', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const receipt: ReceiptView | null = await getReceipt(deps.db, id);
    if (!receipt) throw notFound('Reçu');
    res.json(receipt);
  });

  router.get('/receipts/:id/pdf', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const receipt = await getReceipt(deps.db, id);
    if (!receipt) throw notFound('Reçu');
    sendViewablePdf(res, await receiptPdf(receipt, await getCommune(deps.db), deps.clock.now()), `recu-${receipt.numberLabel}.pdf`);
  });

  router.post('/receipts/:id/cancel', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const { reason } = validate(cancelSaleSchema, req.body);
    const reversal: ReceiptView = await cancelCounterSale(ctx, staffOf(req).actor, { receiptId: id, reason });
    res.status(201).json(reversal);
  });

  // Before the dated routes: "today" is not a date.
  router.get('/cash/today', async (_req, res) => {
    const today: CashTodayView = await cashToday(ctx);
    res.json(today);
  });

  router.get('/cash/:date', async (req, res) => {
    const { date } = validate(dateParams, req.params);
    const { session } = validate(cashSessionQuery, req.query);
    const journal: CashJournalView = await cashJournal(ctx, date, session);
    res.json(journal);
  });

  router.get('/cash/:date/pdf', async (req, res) => {
    const { date } = validate(dateParams, req.params);
    const { session } = validate(cashSessionQuery, req.query);
    const journal = await cashJournal(ctx, date, session);
    sendViewablePdf(res, await cashJournalPdf(journal, await getCommune(deps.db), deps.clock.now()), `journal-de-caisse-${date}-session-${journal.session}.pdf`);
  });

  router.get('/cash/:date/xlsx', async (req, res) => {
    const { date } = validate(dateParams, req.params);
    const { session } = validate(cashSessionQuery, req.query);
    const journal = await cashJournal(ctx, date, session);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(`journal-de-caisse-${date}-session-${journal.session}.xlsx`));
    await writeCashJournalXlsx(journal, res, communeTitle(await getCommune(deps.db)));
  });

  router.post('/cash/:date/close', async (req, res) => {
    const { date } = validate(dateParams, req.params);
    const journal: CashJournalView = await closeCashDay(ctx, staffOf(req).actor, { date });
    res.json(journal);
  });

  return router;
}
