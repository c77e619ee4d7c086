import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './test-support.js';
import { writeTransaction } from './tx.js';
import { appendLedgerEntry } from './wallet.js';
import { issueInvoice, listInvoices, getInvoice, monthlyStatement } from './invoices.js';
import { invoicePdf, statementPdf } from './pdf/invoice.js';
import { pdfToText } from '../tests/support/pdf-text.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb({ now: '2026-05-20T08:00:00Z' });
  await t.db('contacts').insert({
    family_id: t.ids.familyId, relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', address1: 'Chemin de la lune',
    postal_code: '45600', city: 'JUMEX', use_for_billing: true, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
  });
});
afterEach(async () => {
  await t.db.destroy();
});

describe('invoices', () => {
  it('numbers invoices per year without gaps and totals the lines', async () => {
    const now = t.clock.now();
    const a = await writeTransaction(t.db, (trx) =>
      issueInvoice(trx, { familyId: t.ids.familyId, kind: 'topup', lines: [{ label: 'Crédit Restauration scolaire', quantity: 1, unitCents: 2000 }], status: 'paid' }, now),
    );
    const b = await writeTransaction(t.db, (trx) =>
      issueInvoice(trx, { familyId: t.ids.otherFamilyId, kind: 'counter', lines: [{ label: 'Cantine — tickets', quantity: 10, unitCents: 320 }], status: 'paid' }, now),
    );
    const c = await writeTransaction(t.db, (trx) =>
      issueInvoice(trx, { familyId: t.ids.familyId, kind: 'topup', issuedOn: '2027-01-02', lines: [{ label: 'Crédit', quantity: 1, unitCents: 100 }], status: 'paid' }, now),
    );
    expect([a.number, b.number, c.number]).toEqual(['F2026-000001', 'F2026-000002', 'F2027-000001']);
    expect(b.totalCents).toBe(3200);
    await expect(
      writeTransaction(t.db, (trx) => issueInvoice(trx, { familyId: t.ids.familyId, kind: 'topup', lines: [], status: 'paid' }, now)),
    ).rejects.toThrow('au moins une ligne');

    const mine = await listInvoices(t.ctx, t.actors.parent, t.ids.familyId);
    expect(mine.map((i) => i.number)).toEqual(['F2027-000001', 'F2026-000001']);
    await expect(listInvoices(t.ctx, t.actors.otherParent, t.ids.familyId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getInvoice(t.ctx, t.actors.otherParent, a.invoiceId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getInvoice(t.ctx, t.actors.restauration, a.invoiceId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const detail = await getInvoice(t.ctx, t.actors.secretariat, a.invoiceId);
    expect(detail.billTo).toEqual({ name: 'DEVRET Chantal', addressLines: ['Chemin de la lune', '45600 JUMEX'] });
  });

  it('renders an invoice PDF with the commune header, lines, French amounts and the total', async () => {
    const now = t.clock.now();
    const inv = await writeTransaction(t.db, (trx) =>
      issueInvoice(trx, {
        familyId: t.ids.familyId, kind: 'topup', status: 'paid',
        lines: [{ label: 'Crédit du porte-monnaie Restauration scolaire', quantity: 1, unitCents: 2050 }, { label: 'Cantine — tickets', quantity: 3, unitCents: 320 }],
      }, now),
    );
    const { bytes, filename } = await invoicePdf(t.ctx, t.actors.parent, inv.invoiceId);
    expect(filename).toBe('Facture F2026-000001.pdf');
    const text = await pdfToText(bytes);
    expect(text).toContain('Commune de Saint-Exemple');
    expect(text).toContain('Facture F2026-000001');
    expect(text).toMatch(/Famille :\s+DEVRET \(dossier F0001\)/);
    expect(text).toMatch(/Cantine — tickets\s+3\s+3,20 €\s+9,60 €/);
    expect(text).toMatch(/Total\s+30,10 €/);
    expect(text).toContain('Acquittée');
    await expect(invoicePdf(t.ctx, t.actors.otherParent, inv.invoiceId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('builds a monthly statement from the ledger with opening and closing balances', async () => {
    const entry = (at: string, amountCents: number, label: string) => {
      t.clock.set(at);
      return writeTransaction(t.db, (trx) =>
        appendLedgerEntry(trx, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents, kind: amountCents > 0 ? 'adjustment' : 'booking_debit', label }, t.clock.now()),
      );
    };
    await entry('2026-03-31T21:30:00Z', 5000, 'Crédit de mars'); // 23:30 Paris on 31 March: still March
    await entry('2026-03-31T22:30:00Z', -320, 'Cantine — Julia — mercredi 01/04'); // 00:30 Paris on 1 April
    await entry('2026-04-15T10:00:00Z', -320, 'Cantine — Louis — jeudi 16/04');
    await entry('2026-05-02T10:00:00Z', 1000, 'Crédit de mai');
    t.clock.set('2026-05-20T08:00:00Z');

    const s = await monthlyStatement(t.ctx, t.actors.parent, { familyId: t.ids.familyId, month: '2026-04' });
    expect(s.wallets).toHaveLength(1);
    const w = s.wallets[0]!;
    expect(w.openingCents).toBe(5000);
    expect(w.entries.map((e) => e.date)).toEqual(['2026-04-01', '2026-04-15']);
    expect(w.debitsCents).toBe(-640);
    expect(w.closingCents).toBe(4360);
    await expect(monthlyStatement(t.ctx, t.actors.parent, { familyId: t.ids.familyId, month: '2026-13' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(monthlyStatement(t.ctx, t.actors.parent, { familyId: t.ids.familyId, month: '2026-06' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(monthlyStatement(t.ctx, t.actors.otherParent, { familyId: t.ids.familyId, month: '2026-04' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const { bytes } = await statementPdf(t.ctx, t.actors.parent, { familyId: t.ids.familyId, month: '2026-04' });
    const text = await pdfToText(bytes);
    expect(text).toContain('Relevé de compte — avril 2026');
    expect(text).toContain('Porte-monnaie « Restauration scolaire »');
    expect(text).toMatch(/Solde au début du mois\s+50,00 €/);
    expect(text).toMatch(/01\/04\/2026\s+Cantine — Julia — mercredi 01\/04\s+3,20 €/);
    expect(text).toMatch(/Total du mois\s+6,40 €\s+0,00 €/);
    expect(text).toMatch(/Solde en fin de mois\s+43,60 €/);
  });
});
