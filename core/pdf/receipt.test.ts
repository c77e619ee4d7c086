import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBuffer, writeCashJournalXlsx } from '../exports.js';
import { cancelCounterSale, cashJournal, closeCashDay, recordCounterSale } from '../sales.js';
import { createTestDb, TEST_COMMUNE, type TestDb } from '../test-support.js';
import { cashJournalPdf } from './cash-journal.js';
import { pdfToText } from '../../tests/support/pdf-text.js';
import { receiptPdf } from './receipt.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

describe('receipt PDF', () => {
  it('shows the number, family, amount and method of a cheque sale of tickets', async () => {
    const receipt = await recordCounterSale(t.ctx, t.actors.secretariat, {
      familyId: t.ids.familyId, activityId: t.ids.activityIds.cantine, tickets: 10, method: 'cheque', chequeNumber: '1234567', chequeBank: 'Crédit Agricole',
    });
    const text = await pdfToText(await receiptPdf(receipt, TEST_COMMUNE));
    expect(text).toContain(`Reçu n° ${receipt.numberLabel}`);
    expect(text).toMatch(/Famille :\s+DEVRET \(dossier F0001\)/);
    expect(text).toMatch(/Mode de paiement :\s+Chèque/);
    expect(text).toMatch(/Chèque n° :\s+1234567/);
    expect(text).toMatch(/Banque :\s+Crédit Agricole/);
    expect(text).toMatch(/10 tickets Cantine\s+10\s+3,20 €\s+32,00 €/);
    expect(text).toMatch(/Total encaissé\s+32,00 €/);
  });

  it('prints a reversing receipt for a cancelled sale', async () => {
    const sale = await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 2000, method: 'especes' });
    const reversal = await cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: sale.id, reason: 'erreur de famille' });
    const text = await pdfToText(await receiptPdf(reversal, TEST_COMMUNE));
    expect(text).toContain(`Annulation du reçu n° ${sale.numberLabel}\n`);
    expect(text).toContain(`Reçu n° ${reversal.numberLabel} — Régie enfance-jeunesse`);
    expect(text).toMatch(new RegExp(`Annulation du reçu n° :\\s+${sale.numberLabel}`));
    expect(text).toContain('Motif de l’annulation : erreur de famille');
    expect(text).toMatch(/Remboursé par :\s+Sophie Secrétariat/);
    expect(text).toMatch(/Annulation : Crédit du porte-monnaie Restauration\s+1\s+20,00 €\s+20,00 €/);
    expect(text).toMatch(/\n\s*Remboursé\s+20,00 €/);
    // A refund is neither cashed nor credited.
    expect(text).not.toMatch(/encaiss|crédit[ée]/i);
  });
});

describe('cash journal PDF and xlsx', () => {
  it('gives totals by method equal to the day’s receipts', async () => {
    await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 2000, method: 'especes' });
    await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.otherFamilyId, activityId: t.ids.activityIds.cantine, tickets: 5, method: 'cheque', chequeNumber: '42', chequeBank: 'La Poste' });
    const card = await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletPeriscolaireId, amountCents: 1550, method: 'carte' });
    await cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: card.id, reason: 'double saisie' });
    const journal = await closeCashDay(t.ctx, t.actors.secretariat, { date: '2026-03-02' });
    expect(journal.totalCents).toBe(2000 + 5 * 390);

    const text = await pdfToText(await cashJournalPdf(journal, TEST_COMMUNE));
    expect(text).toContain('Journal de caisse du lundi 2 mars 2026 — session 1');
    expect(text).toMatch(/Session 1 clôturée le .* par Sophie Secrétariat/);
    expect(text).toMatch(/Espèces\s+1\s+20,00 €/);
    expect(text).toMatch(/Chèque\s+1\s+19,50 €/);
    expect(text).toMatch(/Carte bancaire\s+2\s+0,00 €/);
    expect(text).toMatch(/Total de la session 1\s+4\s+39,50 €/);
    expect(text).toContain('Annule 2026-000003');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toBuffer((out) => writeCashJournalXlsx(journal, out))) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    // exceljs writes no cached value for a formula whose result is 0: Excel computes it on opening.
    const result = (v: ExcelJS.CellValue) => (v && typeof v === 'object' && 'formula' in v ? (v.result ?? 0) : v);
    expect(ws.getCell('A3').value).toBe('Espèces');
    // The time of each receipt is a real Excel time, the Paris wall clock (10:00 on 2 March).
    expect(ws.getCell('B9').type).toBe(ExcelJS.ValueType.Date);
    expect(ws.getCell('B9').value).toEqual(new Date('2026-03-02T10:00:00.000Z'));
    expect(ws.getCell('B9').numFmt).toBe('hh:mm');
    expect(result(ws.getCell('I3').value)).toBe(20);
    expect(result(ws.getCell('I4').value)).toBe(19.5);
    expect(result(ws.getCell('I5').value)).toBe(0);
    expect(result(ws.getCell('I6').value)).toBe(39.5);
    const amounts: number[] = [];
    for (let r = 9; r <= ws.rowCount; r++) amounts.push(Number(ws.getCell(`I${r}`).value));
    expect(amounts.reduce((s, a) => s + a, 0)).toBeCloseTo(39.5, 5);
    expect(amounts).toHaveLength((await cashJournal(t.ctx, '2026-03-02')).count);
  });
});
