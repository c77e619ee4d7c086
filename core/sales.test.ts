import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBuffer, writeCashJournalXlsx } from './exports.js';
import { cashJournalPdf } from './pdf/cash-journal.js';
import type { DomainError } from './errors.js';
import { cancelCounterSale, cashJournal, closeCashDay, formatReceiptNumber, getReceipt, listReceipts, recordCounterSale, type CounterSaleInput } from './sales.js';
import { createTestDb, TEST_COMMUNE, type TestDb } from './test-support.js';
import { getBalance } from './wallet.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const code = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (e as DomainError).code ?? String(e));
const sell = (input: Partial<CounterSaleInput>) =>
  recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, method: 'especes', ...input } as CounterSaleInput);

describe('counter sale', () => {
  it('sells an amount: numbered receipt, ledger credit, audit', async () => {
    const r = await sell({ amountCents: 2500, method: 'carte' });
    expect(r).toMatchObject({
      year: 2026, number: 1, numberLabel: '2026-000001', familyName: 'DEVRET', familyCode: 'F0001', walletLabel: 'Restauration scolaire',
      amountCents: 2500, method: 'carte', methodLabel: 'Carte bancaire', staffName: 'Sophie Secrétariat', businessDate: '2026-03-02',
      cancelsReceiptId: null, cancelledByReceiptId: null,
    });
    expect(r.amountLabel.replace(/\s/g, ' ')).toBe('25,00 €');
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(2500);
    expect(await t.db('ledger_entries').where('id', r.ledgerEntryId!).first()).toMatchObject({ kind: 'counter_sale', amount_cents: 2500, receipt_id: r.id, staff_user_id: t.ids.staffSecretariatId });
    expect(await t.db('audit_log').where('action', 'sale.create').first()).toMatchObject({ entity: 'receipt', entity_id: String(r.id), family_id: t.ids.familyId });
  });

  it('sells tickets at the family tariff on the activity\'s wallet, by cheque with number and bank', async () => {
    const r = await sell({ walletId: undefined, activityId: t.ids.activityIds.cantine, tickets: 10, method: 'cheque', chequeNumber: '0012345', chequeBank: 'Crédit Agricole' });
    expect(r).toMatchObject({ amountCents: 3200, tickets: 10, activityName: 'Cantine', walletId: t.ids.walletRestaurationId, chequeNumber: '0012345', chequeBank: 'Crédit Agricole', methodLabel: 'Chèque' });
    expect(await code(sell({ walletId: t.ids.walletTransportId, activityId: t.ids.activityIds.cantine, tickets: 2 }))).toBe('VALIDATION');
  });

  it('issues a paid invoice for Mes factures with each sale, cancelled with the sale', async () => {
    const r = await sell({ walletId: undefined, activityId: t.ids.activityIds.cantine, tickets: 10, method: 'cheque', chequeNumber: '77', chequeBank: 'La Banque Postale' });
    const invoice = await t.db('invoices').where('receipt_id', r.id).first();
    expect(invoice).toMatchObject({ kind: 'counter', status: 'paid', total_cents: 3200, family_id: t.ids.familyId, issued_on: '2026-03-02' });
    const lines = await t.db('invoice_lines').where('invoice_id', invoice.id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ quantity: 10, unit_cents: 320, total_cents: 3200 });
    expect(lines[0].label).toContain(r.numberLabel);
    await cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: r.id, reason: 'Erreur de famille' });
    expect(await t.db('invoices').where('receipt_id', r.id).first('status')).toEqual({ status: 'cancelled' });
  });

  it('validates input with French messages and consumes no number on a refusal', async () => {
    const refusals: Array<[Partial<CounterSaleInput>, RegExp]> = [
      [{ amountCents: 0 }, /entre 0,01/],
      [{ amountCents: 1_000_000 }, /entre 0,01/],
      [{ amountCents: 12.5 }, /entre 0,01/],
      [{ amountCents: 100, tickets: 2, activityId: t.ids.activityIds.cantine }, /soit un montant, soit un nombre de tickets/],
      [{}, /soit un montant, soit un nombre de tickets/],
      [{ tickets: 2 }, /activité des tickets/],
      [{ tickets: 0, activityId: t.ids.activityIds.cantine }, /nombre de tickets/],
      [{ amountCents: 100, method: 'cheque' }, /numéro du chèque/],
      [{ amountCents: 100, method: 'cheque', chequeNumber: '123' }, /banque du chèque/],
      [{ amountCents: 100, method: 'virement' as never }, /Mode de paiement invalide/],
    ];
    for (const [input, message] of refusals) {
      const err = await sell(input).then(() => null, (e: unknown) => e as DomainError);
      expect(err?.code, JSON.stringify(input)).toBe('VALIDATION');
      expect(err?.message).toMatch(message);
    }
    expect(await code(sell({ familyId: 9999, amountCents: 100 }))).toBe('NOT_FOUND');
    expect(await code(recordCounterSale(t.ctx, t.actors.parent, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 100, method: 'especes' }))).toBe('FORBIDDEN');
    expect(await code(recordCounterSale(t.ctx, t.actors.restauration, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 100, method: 'especes' }))).toBe('FORBIDDEN');
    expect(await t.db('receipts').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect((await sell({ amountCents: 1 })).number).toBe(1);
    expect((await sell({ amountCents: 999_999, method: 'carte' })).number).toBe(2);
  });

  it('refuses cash above 300 € naming the limit, by amount or by tickets, and takes no number', async () => {
    const over = await sell({ amountCents: 30_001 }).then(() => null, (e: unknown) => e as DomainError);
    expect(over?.code).toBe('VALIDATION');
    expect(over?.message.replace(/\s/g, ' ')).toMatch(/espèces limité à 300,00 €.*300,01 €/);
    expect(over?.details).toMatchObject({ field: 'amountCents', maxCents: 30_000 });
    // 100 Cantine tickets at 3,20 € = 320,00 €: over the cap in cash, fine by cheque.
    const tickets = await sell({ walletId: undefined, activityId: t.ids.activityIds.cantine, tickets: 100 }).then(() => null, (e: unknown) => e as DomainError);
    expect([tickets?.code, tickets?.details?.field]).toEqual(['VALIDATION', 'tickets']);
    expect(tickets?.message.replace(/\s/g, ' ')).toContain('300,00 €');
    expect(await t.db('receipts').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect((await sell({ amountCents: 30_000 })).number).toBe(1);
    expect((await sell({ amountCents: 30_001, method: 'cheque', chequeNumber: '12', chequeBank: 'CIC' })).number).toBe(2);
  });

  it('records a sale once for one idempotency key: a retry answers the first receipt, another body a 409', async () => {
    const key = 'vente-4b1d2c3e-0001';
    const first = await sell({ amountCents: 1500, idempotencyKey: key });
    const retry = await sell({ amountCents: 1500, idempotencyKey: key });
    expect(retry.id).toBe(first.id);
    expect(retry.numberLabel).toBe(first.numberLabel);
    const other = await sell({ amountCents: 1600, idempotencyKey: key }).then(() => null, (e: unknown) => e as DomainError);
    expect(other?.code).toBe('CONFLICT');
    expect(other?.message).toMatch(/déjà servi pour une autre vente/);
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(1500);
    expect(await t.db('ledger_entries').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    // The replays took no number: the next sale follows without a gap.
    expect((await sell({ amountCents: 100, idempotencyKey: 'vente-4b1d2c3e-0002' })).number).toBe(2);
    expect(await code(sell({ amountCents: 100, idempotencyKey: 'x' }))).toBe('VALIDATION');
  });

  it('numbers per Paris year, from 1 again in the new year', async () => {
    t.clock.set('2026-12-31T22:59:00Z');
    expect((await sell({ amountCents: 100 })).numberLabel).toBe('2026-000001');
    t.clock.set('2026-12-31T23:00:00Z'); // midnight in Paris
    const r = await sell({ amountCents: 100 });
    expect([r.numberLabel, r.businessDate]).toEqual(['2027-000001', '2027-01-01']);
    expect(formatReceiptNumber(2026, 42)).toBe('2026-000042');
  });
});

describe('cancellation', () => {
  it('issues a reversing receipt with the next number, once', async () => {
    const sale = await sell({ amountCents: 2000, method: 'cheque', chequeNumber: '77', chequeBank: 'La Banque Postale' });
    const reversal = await cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: sale.id, reason: 'Chèque sans provision' });
    expect(reversal).toMatchObject({ number: 2, amountCents: -2000, method: 'cheque', cancelsReceiptId: sale.id, cancelsReceiptNumber: '2026-000001', reason: 'Chèque sans provision' });
    expect(await getReceipt(t.db, sale.id)).toMatchObject({ cancelledByReceiptId: reversal.id, cancelledByReceiptNumber: '2026-000002' });
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(0);
    expect(await t.db('ledger_entries').where('receipt_id', reversal.id).first()).toMatchObject({ kind: 'sale_reversal', amount_cents: -2000, reverses_entry_id: sale.ledgerEntryId });
    expect(await code(cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: sale.id, reason: 'encore' }))).toBe('CONFLICT');
    expect(await code(cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: reversal.id, reason: 'annuler' }))).toBe('CONFLICT');
    expect(await code(cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: sale.id, reason: '' }))).toBe('VALIDATION');
    expect(await code(cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: 9999, reason: 'inconnu' }))).toBe('NOT_FOUND');
    expect((await sell({ amountCents: 100 })).number).toBe(3); // refusals consumed no number
    expect((await listReceipts(t.db, t.ids.familyId)).map((r) => r.number)).toEqual([3, 2, 1]);
    expect(await t.db('audit_log').where('action', 'sale.cancel').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });
});

describe('cash journal', () => {
  it('totals the day by method, reversals negative, and closes once', async () => {
    await sell({ amountCents: 1000 });
    await sell({ amountCents: 2550, method: 'carte' });
    const cheque = await sell({ amountCents: 4000, method: 'cheque', chequeNumber: '1', chequeBank: 'CIC' });
    await sell({ amountCents: 300, method: 'especes', walletId: t.ids.walletTransportId });
    await cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: cheque.id, reason: 'erreur de montant' });
    t.clock.set('2026-03-03T09:00:00Z');
    await sell({ amountCents: 999 }); // the next day

    const j = await cashJournal(t.ctx, '2026-03-02');
    expect(j.totalsByMethod).toEqual({ especes: 1300, cheque: 0, carte: 2550 });
    expect([j.totalCents, j.count, j.closure]).toEqual([3850, 5, null]);
    expect(j.receipts.map((r) => r.number)).toEqual([1, 2, 3, 4, 5]);

    const closed = await closeCashDay(t.ctx, t.actors.secretariat, { date: '2026-03-02' });
    expect(closed.closure).toMatchObject({ totalCents: 3850, receiptCount: 5, totalsByMethod: { especes: 1300, cheque: 0, carte: 2550 }, staffName: 'Sophie Secrétariat' });
    expect(await code(closeCashDay(t.ctx, t.actors.admin, { date: '2026-03-02' }))).toBe('ALREADY_CLOSED');
    expect(await code(closeCashDay(t.ctx, t.actors.admin, { date: '2026-03-04' }))).toBe('VALIDATION');
    expect(await code(closeCashDay(t.ctx, t.actors.restauration, { date: '2026-03-03' }))).toBe('FORBIDDEN');
    expect(await t.db('audit_log').where('action', 'cash.close').count({ n: '*' }).first()).toMatchObject({ n: 1 });

    // A sale of the closed day cancelled later lands on today's journal.
    const first = j.receipts[0]!;
    const rev = await cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: first.id, reason: 'remboursé' });
    expect(rev.businessDate).toBe('2026-03-03');
    expect((await cashJournal(t.ctx, '2026-03-02')).totalCents).toBe(3850);
    const today = await cashJournal(t.ctx, '2026-03-03');
    expect([today.totalCents, today.count]).toEqual([-1, 2]);
  });

  it('never changes a closed session: later receipts form session 2, with its own closure', async () => {
    const first = await sell({ amountCents: 1000 });
    await sell({ amountCents: 2000, method: 'carte' });
    const closed = await closeCashDay(t.ctx, t.actors.secretariat, { date: '2026-03-02' });
    expect([closed.session, closed.totalCents, closed.count]).toEqual([1, 3000, 2]);
    const pdfBefore = await cashJournalPdf(closed, TEST_COMMUNE);
    const xlsxBefore = await toBuffer((out) => writeCashJournalXlsx(closed, out));

    t.clock.advanceMinutes(5);
    const late = await sell({ amountCents: 500 });
    const reversal = await cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: first.id, reason: 'erreur de famille' });
    await t.db('families').where('id', t.ids.familyId).update({ name: 'DEVRET-RENOMMÉE' });
    expect([late.cashSession, reversal.cashSession]).toEqual([2, 2]);

    const session1 = await cashJournal(t.ctx, '2026-03-02', 1);
    expect([session1.totalCents, session1.count, session1.closure?.totalCents]).toEqual([3000, 2, 3000]);
    expect(session1.receipts.map((r) => [r.number, r.familyName])).toEqual([[1, 'DEVRET'], [2, 'DEVRET']]);
    expect(session1.receiptsAfterClosure).toBe(2);
    // Printed again later, session 1 gives the very same bytes.
    expect(Buffer.from(await cashJournalPdf(session1, TEST_COMMUNE, new Date('2026-03-09T10:00:00Z'))).equals(Buffer.from(pdfBefore))).toBe(true);
    expect(await xlsxParts(await toBuffer((out) => writeCashJournalXlsx(session1, out)))).toEqual(await xlsxParts(xlsxBefore));

    const session2 = await cashJournal(t.ctx, '2026-03-02');
    expect([session2.session, session2.closure, session2.totalCents, session2.count]).toEqual([2, null, -500, 2]);
    expect(session2.sessions).toEqual([
      { session: 1, closed: true, count: 2, totalCents: 3000 },
      { session: 2, closed: false, count: 2, totalCents: -500 },
    ]);
    const closed2 = await closeCashDay(t.ctx, t.actors.secretariat, { date: '2026-03-02' });
    expect([closed2.session, closed2.closure?.totalCents, closed2.closure?.receiptCount]).toEqual([2, -500, 2]);
    expect(await code(closeCashDay(t.ctx, t.actors.secretariat, { date: '2026-03-02' }))).toBe('ALREADY_CLOSED');
    expect((await cashJournal(t.ctx, '2026-03-02', 1)).totalCents).toBe(3000);
    expect(await code(cashJournal(t.ctx, '2026-03-02', 4))).toBe('NOT_FOUND');
  });
});

/** Every part of an xlsx (a zip) by name: the content, whatever the zip's own timestamps. */
async function xlsxParts(bytes: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files).sort()) out[name] = await zip.file(name)!.async('string');
  return out;
}
