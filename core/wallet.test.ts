import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBookingChanges } from './bookings.js';
import { DomainError } from './errors.js';
import { recordCounterSale } from './sales.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet, appendLedgerEntry, getBalance, getBalances, ledgerHistory, reverseLedgerEntry } from './wallet.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(() => undefined, (e: unknown) => (e instanceof DomainError ? e.code : String(e)));

describe('ledger', () => {
  it('lists every wallet with a zero balance before any entry, in one query', async () => {
    let queries = 0;
    t.db.on('query', () => queries++);
    const balances = await getBalances(t.db, t.ids.familyId);
    expect(queries).toBe(1);
    expect(balances).toEqual([
      { walletId: t.ids.walletRestaurationId, code: 'restauration', label: 'Restauration scolaire', balanceCents: 0, overdraftLimitCents: 0 },
      { walletId: t.ids.walletPeriscolaireId, code: 'periscolaire', label: 'Garderie', balanceCents: 0, overdraftLimitCents: 1000 },
      { walletId: t.ids.walletTransportId, code: 'transport', label: 'Transport', balanceCents: 0, overdraftLimitCents: 0 },
    ]);
  });

  it('sums entries per family and wallet, and refuses non-integer cents', async () => {
    const now = t.clock.now();
    await appendLedgerEntry(t.db, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 1250, kind: 'adjustment', label: 'a' }, now);
    await appendLedgerEntry(t.db, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: -320, kind: 'adjustment', label: 'b' }, now);
    await appendLedgerEntry(t.db, { familyId: t.ids.otherFamilyId, walletId: t.ids.walletRestaurationId, amountCents: 999, kind: 'adjustment', label: 'c' }, now);
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(930);
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletTransportId)).toBe(0);
    expect((await getBalances(t.db, t.ids.otherFamilyId))[0]?.balanceCents).toBe(999);
    await expect(appendLedgerEntry(t.db, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 12.5, kind: 'adjustment', label: 'x' }, now)).rejects.toThrow(/centimes/);
  });

  it('adjusts with a reason, staff only, audited', async () => {
    const { ctx, actors, ids } = t;
    expect(await codeOf(adjustWallet(ctx, actors.parent, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 500, reason: 'cadeau' }))).toBe('FORBIDDEN');
    expect(await codeOf(adjustWallet(ctx, actors.restauration, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 500, reason: 'cadeau' }))).toBe('FORBIDDEN');
    expect(await codeOf(adjustWallet(ctx, actors.secretariat, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 500, reason: '' }))).toBe('VALIDATION');
    expect(await codeOf(adjustWallet(ctx, actors.secretariat, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 0, reason: 'rien' }))).toBe('VALIDATION');
    expect(await codeOf(adjustWallet(ctx, actors.secretariat, { familyId: 9999, walletId: ids.walletRestaurationId, amountCents: 100, reason: 'inconnue' }))).toBe('NOT_FOUND');
    const r = await adjustWallet(ctx, actors.secretariat, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: -150, reason: 'Repas non servi compté deux fois' });
    expect(r.balanceCents).toBe(-150);
    const audit = await t.db('audit_log').where('action', 'wallet.adjust').first();
    expect(audit).toMatchObject({ staff_user_id: ids.staffSecretariatId, family_id: ids.familyId, note: 'Repas non servi compté deux fois' });
    expect(JSON.parse(audit.before_json)).toEqual({ walletId: ids.walletRestaurationId, balanceCents: 0 });
  });

  it('reverses an entry once, never a reversal nor a counter sale', async () => {
    const { ctx, actors, ids } = t;
    const { entryId } = await adjustWallet(ctx, actors.secretariat, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 700, reason: 'geste commercial' });
    const rev = await reverseLedgerEntry(ctx, actors.admin, { entryId, reason: 'saisi sur la mauvaise famille' });
    expect(rev.balanceCents).toBe(0);
    const row = await t.db('ledger_entries').where('id', rev.entryId).first();
    expect(row).toMatchObject({ kind: 'reversal', amount_cents: -700, reverses_entry_id: entryId, staff_user_id: ids.staffAdminId });
    expect(await codeOf(reverseLedgerEntry(ctx, actors.admin, { entryId, reason: 'encore' }))).toBe('CONFLICT');
    expect(await codeOf(reverseLedgerEntry(ctx, actors.admin, { entryId: rev.entryId, reason: 'annuler l\'annulation' }))).toBe('CONFLICT');
    const sale = await recordCounterSale(ctx, actors.secretariat, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 1000, method: 'especes' });
    expect(await codeOf(reverseLedgerEntry(ctx, actors.admin, { entryId: sale.ledgerEntryId!, reason: 'erreur' }))).toBe('CONFLICT');
    expect(await t.db('audit_log').where('action', 'ledger.reverse').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('reversing a booking debit keeps the booking net right: a later cancellation refunds nothing more', async () => {
    const { ctx, actors, ids } = t;
    await adjustWallet(ctx, actors.secretariat, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 1000, reason: 'crédit' });
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: '2026-03-09', action: 'book' }] });
    const debit = await t.db('ledger_entries').where('kind', 'booking_debit').first();
    await reverseLedgerEntry(ctx, actors.secretariat, { entryId: debit.id, reason: 'repas offert' });
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(1000);
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: '2026-03-09', action: 'cancel' }] });
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(1000);
  });

  it('refuses to reverse a booking debit already refunded by its cancellation, or a refund, and moves no cent', async () => {
    const { ctx, actors, ids } = t;
    await adjustWallet(ctx, actors.secretariat, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 1000, reason: 'crédit' });
    const cell = { childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: '2026-03-09' };
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ ...cell, action: 'book' }] });
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ ...cell, action: 'cancel' }] });
    const debit = await t.db('ledger_entries').where('kind', 'booking_debit').first();
    const refund = await t.db('ledger_entries').where('kind', 'cancellation_refund').first();
    const refused = await reverseLedgerEntry(ctx, actors.secretariat, { entryId: debit.id, reason: 'repas offert' }).then(() => null, (e: unknown) => e as DomainError);
    expect(refused?.code).toBe('CONFLICT');
    expect(refused?.message).toMatch(/déjà été annulée et remboursée/);
    expect(await codeOf(reverseLedgerEntry(ctx, actors.secretariat, { entryId: refund.id, reason: 'erreur' }))).toBe('CONFLICT');
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(1000);
    // Booked again: the first debit no longer stands alone, but the booking may still be offered once.
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ ...cell, action: 'book' }] });
    await reverseLedgerEntry(ctx, actors.secretariat, { entryId: debit.id, reason: 'repas offert' });
    const second = await t.db('ledger_entries').where('kind', 'booking_debit').orderBy('id', 'desc').first();
    expect(await codeOf(reverseLedgerEntry(ctx, actors.secretariat, { entryId: second.id, reason: 'repas offert' }))).toBe('CONFLICT');
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(1000);
  });

  it('lists the history newest first with child and activity names', async () => {
    const { ctx, actors, ids, clock } = t;
    await adjustWallet(ctx, actors.secretariat, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 1000, reason: 'crédit' });
    clock.advanceMinutes(60 * 24);
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ childId: ids.childLouisId, activityId: ids.activityIds.cantine, date: '2026-03-09', action: 'book' }] });
    const all = await ledgerHistory(t.db, ids.familyId);
    expect(all.map((e) => [e.kind, e.amountCents, e.childFirstName, e.activityName])).toEqual([
      ['booking_debit', -320, 'Louis', 'Cantine'],
      ['adjustment', 1000, null, null],
    ]);
    expect(all[1]?.staffName).toBe('Sophie Secrétariat');
    expect(await ledgerHistory(t.db, ids.familyId, { from: '2026-03-03', to: '2026-03-03' })).toHaveLength(1);
    expect(await ledgerHistory(t.db, ids.familyId, { walletId: ids.walletTransportId })).toHaveLength(0);
    expect(await ledgerHistory(t.db, ids.familyId, { limit: 1, offset: 1 })).toHaveLength(1);
  });
});
