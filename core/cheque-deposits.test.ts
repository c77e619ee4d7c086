import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chequesPage, createChequeDeposit, listUndepositedCheques } from './cheque-deposits.js';
import { rejectCheque } from './cheque-rejection.js';
import type { DomainError } from './errors.js';
import { chequeDepositPdf } from './pdf/cheque-deposit.js';
import { cancelCounterSale, recordCounterSale } from './sales.js';
import { createTestDb, TEST_COMMUNE, type TestDb } from './test-support.js';
import { getBalance } from './wallet.js';
import { pdfToText } from '../tests/support/pdf-text.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const code = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (e as DomainError).code ?? String(e));

async function cheque(tt: TestDb, amountCents: number, number: string, actor = tt.actors.secretariat, familyId = tt.ids.familyId) {
  return recordCounterSale(tt.ctx, actor, { familyId, walletId: tt.ids.walletRestaurationId, amountCents, method: 'cheque', chequeNumber: number, chequeBank: 'Crédit Agricole' });
}

describe('cheques to deposit and the deposit slip', () => {
  it('lists uncancelled cheques only, makes a numbered slip of a selection, totals per seller, and a PDF with every cheque', async () => {
    const a = await cheque(t, 2500, '0000101');
    const b = await cheque(t, 1250, '0000102', t.actors.admin);
    const c = await cheque(t, 4000, '0000103');
    const cancelled = await cheque(t, 999, '0000104');
    await cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: cancelled.id, reason: 'erreur de saisie' });
    await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 500, method: 'especes' });
    await t.db('contacts').insert({ family_id: t.ids.familyId, relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', use_for_billing: true, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });

    const waiting = await listUndepositedCheques(t.db);
    expect(waiting.map((w) => w.receiptId)).toEqual([a.id, b.id, c.id]);
    const deposit = await createChequeDeposit(t.ctx, t.actors.secretariat, { receiptIds: [a.id, b.id], bankAccountLabel: 'Trésor Public — régie périscolaire' });
    expect(deposit).toMatchObject({ year: 2026, number: 1, numberLabel: '2026-0001', depositDate: '2026-03-02', totalCents: 3750, chequeCount: 2, staffName: 'Sophie Secrétariat' });
    expect(deposit.bySeller).toEqual([
      { staffUserId: t.ids.staffSecretariatId, staffName: 'Sophie Secrétariat', count: 1, totalCents: 2500 },
      { staffUserId: t.ids.staffAdminId, staffName: 'Administrateur', count: 1, totalCents: 1250 },
    ]);
    expect((await listUndepositedCheques(t.db)).map((w) => w.receiptId)).toEqual([c.id]);
    const second = await createChequeDeposit(t.ctx, t.actors.admin, { receiptIds: [c.id], bankAccountLabel: 'Trésor Public' });
    expect(second.numberLabel).toBe('2026-0002');
    const page = await chequesPage(t.ctx, t.actors.secretariat);
    expect(page).toMatchObject({ undeposited: [], undepositedTotalCents: 0, lastBankAccountLabel: 'Trésor Public' });
    expect(page.deposits.map((d) => d.numberLabel)).toEqual(['2026-0002', '2026-0001']);
    expect(await t.db('audit_log').where('action', 'cheque.deposit').count({ n: '*' }).first()).toEqual({ n: 2 });

    const text = await pdfToText(await chequeDepositPdf(deposit, TEST_COMMUNE));
    expect(text).toContain('Bordereau de remise de chèques n° 2026-0001');
    expect(text).toContain('Trésor Public — régie périscolaire');
    expect(text).toMatch(/Nombre de chèques : 2/);
    expect(text).toMatch(/0000101\s+Crédit Agricole\s+DEVRET Chantal\s+2026-000001\s+02\/03\/2026\s+25,00 €/);
    expect(text).toMatch(/0000102\s+Crédit Agricole\s+.*2026-000002\s+02\/03\/2026\s+12,50 €/);
    expect(text).toMatch(/Total\s+37,50\s€/);
    expect(text).toMatch(/Sophie Secrétariat\s+1\s+25,00 €/);
    expect(text).toMatch(/Administrateur\s+1\s+12,50 €/);
  });

  it('refuses an empty, doubled, foreign or already deposited selection and writes nothing', async () => {
    const a = await cheque(t, 2500, '1');
    const cash = await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 500, method: 'especes' });
    const make = (receiptIds: number[], actor = t.actors.secretariat) => code(createChequeDeposit(t.ctx, actor, { receiptIds, bankAccountLabel: 'Banque' }));
    expect(await make([])).toBe('VALIDATION');
    expect(await make([a.id, a.id])).toBe('VALIDATION');
    expect(await make([cash.id])).toBe('VALIDATION');
    expect(await make([999_999])).toBe('NOT_FOUND');
    expect(await make([a.id], t.actors.restauration)).toBe('FORBIDDEN');
    expect(await code(createChequeDeposit(t.ctx, t.actors.secretariat, { receiptIds: [a.id], bankAccountLabel: '  ' }))).toBe('VALIDATION');
    expect(await t.db('cheque_deposits').count({ n: '*' }).first()).toEqual({ n: 0 });
    await createChequeDeposit(t.ctx, t.actors.secretariat, { receiptIds: [a.id], bankAccountLabel: 'Banque' });
    expect(await make([a.id])).toBe('CONFLICT');
    // The refused slip used no number: the next one is n° 2.
    const b = await cheque(t, 100, '2');
    expect((await createChequeDeposit(t.ctx, t.actors.secretariat, { receiptIds: [b.id], bankAccountLabel: 'Banque' })).number).toBe(2);
  });

  it('two desks racing for one cheque: one slip has it, the other is refused, no number lost', async () => {
    // Two desks send their slips to the one server at once: on SQLite its single connection runs
    // one transaction after the other; on PostgreSQL the pool's connections really race.
    const shared = await cheque(t, 3000, '777');
    const own = await cheque(t, 1000, '778');
    for (let round = 0; round < 3; round++) {
      const a = round === 0 ? [shared.id, own.id] : [(await cheque(t, 500, `9${round}`)).id];
      const results = await Promise.allSettled([
        createChequeDeposit(t.ctx, t.actors.secretariat, { receiptIds: a, bankAccountLabel: 'Guichet 1' }),
        createChequeDeposit(t.ctx, t.actors.admin, { receiptIds: [a[0]!], bankAccountLabel: 'Guichet 2' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as DomainError).code).toBe('CONFLICT');
      expect((refused.reason as DomainError).message).toMatch(/déjà sur le bordereau|vient d’être remis/);
      expect(await t.db('cheque_deposit_lines').where('receipt_id', a[0]!).count({ n: '*' }).first()).toEqual({ n: 1 });
    }
    expect((await t.db('cheque_deposits').orderBy('number').select('number')).map((r) => r.number)).toEqual([1, 2, 3]);
    expect(await t.db('cheque_deposit_counters').first('last_number')).toEqual({ last_number: 3 });
  });
});

describe('queries', () => {
  it('reads the page in the same number of queries for one slip or many (no query per row)', async () => {
    const queriesOf = async () => {
      let n = 0;
      const count = () => void n++;
      t.db.on('query', count);
      try {
        await chequesPage(t.ctx, t.actors.secretariat);
      } finally {
        t.db.off('query', count);
      }
      return n;
    };
    const a = await cheque(t, 100, '1');
    await createChequeDeposit(t.ctx, t.actors.secretariat, { receiptIds: [a.id], bankAccountLabel: 'Banque' });
    await cheque(t, 100, '2');
    const few = await queriesOf();
    for (let i = 0; i < 6; i++) {
      const ids = [(await cheque(t, 100 + i, `x${i}`)).id, (await cheque(t, 200 + i, `y${i}`, t.actors.admin, t.ids.otherFamilyId)).id];
      await createChequeDeposit(t.ctx, t.actors.admin, { receiptIds: ids, bankAccountLabel: 'Banque' });
      await cheque(t, 300 + i, `z${i}`);
    }
    expect(await queriesOf()).toBe(few);
  });
});

describe('rejected cheque', () => {
  it('reverses the credit, keeps the sale, notes the family file, warns the family, and is refused twice', async () => {
    await t.db('parent_accounts').where('id', t.ids.parentAccountId).update({ email: 'chantal.devret@example.fr' });
    const sale = await cheque(t, 2500, '0000555');
    expect(await code(rejectCheque(t.ctx, t.actors.secretariat, { receiptId: sale.id, reason: 'Provision insuffisante' }))).toBe('CONFLICT');
    await createChequeDeposit(t.ctx, t.actors.secretariat, { receiptIds: [sale.id], bankAccountLabel: 'Banque' });
    expect(await code(rejectCheque(t.ctx, t.actors.restauration, { receiptId: sale.id, reason: 'Provision insuffisante' }))).toBe('FORBIDDEN');
    expect(await code(rejectCheque(t.ctx, t.actors.secretariat, { receiptId: sale.id, reason: 'x' }))).toBe('VALIDATION');
    expect(await code(rejectCheque(t.ctx, t.actors.secretariat, { receiptId: sale.id, reason: 'Provision insuffisante', rejectedOn: '2026-03-09' }))).toBe('VALIDATION');

    const out = await rejectCheque(t.ctx, t.actors.secretariat, { receiptId: sale.id, reason: 'Provision insuffisante', portalUrl: 'http://portail.test' });
    expect(out).toMatchObject({ receiptNumber: sale.numberLabel, amountCents: 2500, balanceCents: 0, warnedBy: 'mail' });
    expect(out.message).toContain('courriel');
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(0);
    const entry = await t.db('ledger_entries').where('reverses_entry_id', sale.ledgerEntryId!).first();
    expect(entry).toMatchObject({ kind: 'reversal', amount_cents: -2500, reason: 'Provision insuffisante', staff_user_id: t.ids.staffSecretariatId });
    // The sale stays: its receipt, not cancelled, and its paid invoice.
    expect(await t.db('receipts').where('cancels_receipt_id', sale.id).first()).toBeUndefined();
    expect(await t.db('invoices').where('receipt_id', sale.id).first('status')).toEqual({ status: 'paid' });
    expect((await t.db('families').where('id', t.ids.familyId).first('staff_note')).staff_note).toMatch(/^02\/03\/2026 — Chèque n° 0000555 \(Crédit Agricole\) de 25,00\s€.*Provision insuffisante/);
    const mail = await t.db('mail_outbox').where({ family_id: t.ids.familyId, kind: 'message_from_mairie' }).first();
    expect(mail).toMatchObject({ kind: 'message_from_mairie', to_address: 'chantal.devret@example.fr', status: 'pending' });
    expect(mail.subject).toContain('Chèque rejeté');
    const thread = await t.db('message_threads').where('family_id', t.ids.familyId).first();
    expect(thread.subject).toBe(`Chèque rejeté — reçu n° ${sale.numberLabel}`);
    expect(await t.db('audit_log').where('action', 'cheque.reject').count({ n: '*' }).first()).toEqual({ n: 1 });
    expect((await chequesPage(t.ctx, t.actors.secretariat)).deposits[0]!.cheques[0]!.rejection).toEqual({ rejectedOn: '2026-03-02', reason: 'Provision insuffisante' });

    expect(await code(rejectCheque(t.ctx, t.actors.secretariat, { receiptId: sale.id, reason: 'Provision insuffisante' }))).toBe('CONFLICT');
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(0);
  });

  it('without an address the family gets a portal message and the answer says to write a letter', async () => {
    const sale = await cheque(t, 1000, '42', t.actors.secretariat, t.ids.otherFamilyId);
    await createChequeDeposit(t.ctx, t.actors.secretariat, { receiptIds: [sale.id], bankAccountLabel: 'Banque' });
    const out = await rejectCheque(t.ctx, t.actors.admin, { receiptId: sale.id, reason: 'Signature absente', portalUrl: 'http://portail.test' });
    expect(out.warnedBy).toBe('message');
    expect(out.message).toContain('courrier');
    expect(await t.db('mail_outbox').where('kind', 'message_from_mairie').count({ n: '*' }).first()).toEqual({ n: 0 });
    expect(await t.db('messages').where('author_kind', 'staff').count({ n: '*' }).first()).toEqual({ n: 1 });
    expect(await getBalance(t.db, t.ids.otherFamilyId, t.ids.walletRestaurationId)).toBe(0);
  });
});
