import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchPart } from '../api/parent.js';
import { previewBatch } from './batch-preview.js';
import { applyBookingChanges, applyTemplateWeek, bookAllActivitiesOfDay, bookWholeWeek } from './bookings.js';
import { DomainError } from './errors.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet, getBalance } from './wallet.js';

// The fixture's clock: Monday 2 March 2026, 10:00 in Paris. DEVRET pays Cantine 3,20 €
// (Restauration scolaire, no overdraft), Garderie matin 1,50 € and Garderie soir 2,00 €
// (Garderie, overdraft down to -10,00 €), Bus 0,80 € (Transport, capacity 2).
let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const credit = (walletId: number, cents: number, familyId = t.ids.familyId) =>
  adjustWallet(t.ctx, t.actors.admin, { familyId, walletId, amountCents: cents, reason: 'crédit de test' });
const counts = async () => ({
  ledger: Number((await t.db('ledger_entries').count({ n: '*' }).first())?.n),
  bookings: Number((await t.db('bookings').count({ n: '*' }).first())?.n),
  subscriptions: Number((await t.db('subscriptions').count({ n: '*' }).first())?.n),
});
/** Money reads "6,40 €" with a narrow no-break space: compared here with a plain one. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v).replace(/[\u202f\u00a0]/g, ' ')) as T;
const lastLedgerId = async () => Number((await t.db('ledger_entries').max({ id: 'id' }).first())?.id ?? 0);

/** The ledger rows written after `since`, as a BatchPart's per-wallet figures. */
async function writtenSince(since: number) {
  const rows: Array<{ wallet_id: number; kind: string; amount_cents: number }> = await t.db('ledger_entries').where('id', '>', since).select('wallet_id', 'kind', 'amount_cents');
  const byWallet = new Map<number, { bookCount: number; debitCents: number; cancelCount: number; refundCents: number }>();
  for (const r of rows) {
    const w = byWallet.get(r.wallet_id) ?? { bookCount: 0, debitCents: 0, cancelCount: 0, refundCents: 0 };
    if (r.kind === 'booking_debit') {
      w.bookCount += 1;
      w.debitCents -= r.amount_cents;
    } else if (r.kind === 'cancellation_refund') {
      w.cancelCount += 1;
      w.refundCents += r.amount_cents;
    }
    byWallet.set(r.wallet_id, w);
  }
  return byWallet;
}

/** The preview's part, wallet by wallet, equals the ledger rows the batch wrote, to the cent. */
async function expectWritten(part: BatchPart, since: number) {
  const written = await writtenSince(since);
  expect(Object.fromEntries(written)).toEqual(
    Object.fromEntries(part.wallets.map((w) => [w.walletId, { bookCount: w.bookCount, debitCents: w.debitCents, cancelCount: w.cancelCount, refundCents: w.refundCents }])),
  );
  for (const w of part.wallets) expect(await getBalance(t.db, t.ids.familyId, w.walletId)).toBe(w.balanceAfterCents);
}

describe('the plan of a batch, previewed then applied', () => {
  it('semaine type: totals per wallet, a refund, a deadline passed, a closure day; the batch does what the preview said', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 5000);
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: '2026-03-10', action: 'book' }] });
    await t.db('closures').insert({ kind: 'fermeture', label: 'Grève', date_from: '2026-03-12', date_to: '2026-03-12', activity_id: ids.activityIds.cantine, created_at: 'x' });
    const body = {
      childId: ids.childJuliaId, from: '2026-03-02', to: '2026-03-15',
      pattern: [{ activityId: ids.activityIds.cantine, weekdays: [1, 4] }, { activityId: ids.activityIds.garderieSoir, weekdays: [2] }],
    };
    const before = await counts();
    const preview = await previewBatch(ctx, actors.parent, ids.familyId, { kind: 'template', ...body });
    expect(await counts()).toEqual(before); // a preview writes nothing

    expect(preview.payable).toBe(true);
    expect(preview.payablePart).toBeNull();
    expect(plain(preview.missing)).toEqual([]);
    expect(preview.full).toMatchObject({ bookCount: 4, cancelCount: 1, debitCents: 1040, refundCents: 320 });
    expect(plain(preview.full.wallets.map((w) => w.text))).toEqual([
      '2 réservations, 6,40 € sur Restauration scolaire ; 1 annulation, 3,20 € remboursés',
      '2 réservations, 4,00 € sur Garderie',
    ]);
    expect(preview.full.wallets[0]).toMatchObject({ balanceCents: 5000 - 320, balanceAfterCents: 5000 - 320 - 640 + 320 });
    // Monday 2 is past its deadline (refused, said); Thursday 12 is closed (skipped quietly).
    expect(preview.refused.map((r) => r.text)).toEqual(['Cantine — Julia — lundi 02/03 : réservation close depuis jeudi 10 h']);

    const since = await lastLedgerId();
    const done = await applyTemplateWeek(ctx, actors.parent, { familyId: ids.familyId, ...body });
    await expectWritten(preview.full, since);
    expect(done.summary).toMatchObject({ ...preview.full, leftForCredit: 0 });
    expect(done.summary?.notice).toBeUndefined();
  });

  it('a wallet short of credit: the payable part books the first days up to the overdraft limit, and at the limit nothing is payable', async () => {
    const { ids, actors, ctx } = t;
    const body = { childId: ids.childJuliaId, from: '2026-03-03', to: '2026-03-20', pattern: [{ activityId: ids.activityIds.garderieMatin, weekdays: [1, 2, 4, 5] }] };
    const preview = await previewBatch(ctx, actors.parent, ids.familyId, { kind: 'template', ...body });
    expect(preview.full).toMatchObject({ bookCount: 11, debitCents: 1650 });
    expect(preview.payable).toBe(false);
    expect(plain(preview.missing)).toEqual([{ walletId: ids.walletPeriscolaireId, walletLabel: 'Garderie', missingCents: 650, text: 'Il manque 6,50 € sur Garderie.' }]);
    expect(plain(preview.payablePart)).toMatchObject({
      bookCount: 6, debitCents: 900, leftCount: 5,
      question: 'Réserver seulement ce que le solde permet, jusqu’au jeudi 12/03 (6 réservations, 9,00 €) ?',
    });

    // Without the flag the batch stays all or nothing.
    const before = await counts();
    const err = await applyTemplateWeek(ctx, actors.parent, { familyId: ids.familyId, ...body }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('INSUFFICIENT_BALANCE');
    expect(await counts()).toEqual(before);

    const since = await lastLedgerId();
    const done = await applyTemplateWeek(ctx, actors.parent, { familyId: ids.familyId, ...body, onlyPayable: true });
    await expectWritten(preview.payablePart!, since);
    expect(done.results.filter((r) => r.outcome === 'refused').map((r) => [r.date, r.message])).toEqual(
      ['2026-03-13', '2026-03-16', '2026-03-17', '2026-03-19', '2026-03-20'].map((d) => [d, 'Non réservé : solde insuffisant sur « Garderie »']),
    );
    expect(done.summary).toMatchObject({ bookCount: 6, debitCents: 900, leftForCredit: 5, notice: 'Solde insuffisant sur Garderie : 5 cases n’ont pas été réservées.' });
    expect(await getBalance(t.db, ids.familyId, ids.walletPeriscolaireId)).toBe(-900);

    // At -9,00 € one more morning (1,50 €) passes the -10,00 € limit: nothing of that day is payable.
    const more = await previewBatch(ctx, actors.parent, ids.familyId, { kind: 'day', childId: ids.childLouisId, date: '2026-03-09', action: 'book' });
    expect(more.missing.map((m) => [m.walletLabel, m.missingCents])).toEqual([['Restauration scolaire', 320], ['Garderie', 250], ['Transport', 80]]);
    expect(more.payablePart).toBeNull();
  });

  it('several wallets: the wallets that can pay keep everything ("Réserver sans le bus ?"), the batch then books exactly that', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 1000);
    const day = { childId: ids.childMargotId, date: '2026-03-09', action: 'book' as const };
    const preview = await previewBatch(ctx, actors.parent, ids.familyId, { kind: 'day', ...day });
    expect(preview.full).toMatchObject({ bookCount: 4, debitCents: 750 });
    expect(plain(preview.missing.map((m) => m.text))).toEqual(['Il manque 0,80 € sur Transport.']);
    expect(plain(preview.payablePart)).toMatchObject({ bookCount: 3, debitCents: 670, leftCount: 1, question: 'Réserver sans le bus (3 réservations, 6,70 €) ?' });

    const since = await lastLedgerId();
    const done = await bookAllActivitiesOfDay(ctx, actors.parent, { familyId: ids.familyId, ...day, onlyPayable: true });
    await expectWritten(preview.payablePart!, since);
    expect(done.results.find((r) => r.activityId === ids.activityIds.bus)).toMatchObject({ outcome: 'refused', state: 'open' });

    const cantineOnly = await previewBatch(ctx, actors.parent, ids.familyId, {
      kind: 'changes',
      changes: [
        { childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: '2026-03-10', action: 'book' },
        { childId: ids.childJuliaId, activityId: ids.activityIds.bus, date: '2026-03-10', action: 'book' },
      ],
    });
    expect(plain(cantineOnly.payablePart?.question)).toBe('Réserver seulement la cantine (1 réservation, 3,20 €) ?');
  });

  it('a full activity is refused with its reason, and a week of cancellations says what it refunds', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletTransportId, 1000);
    await credit(ids.walletTransportId, 1000, ids.otherFamilyId);
    await applyBookingChanges(ctx, actors.otherParent, { familyId: ids.otherFamilyId, changes: [{ childId: ids.otherChildId, activityId: ids.activityIds.bus, date: '2026-03-10', action: 'book' }] });
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ childId: ids.childLouisId, activityId: ids.activityIds.bus, date: '2026-03-10', action: 'book' }] });
    const week = { childId: ids.childJuliaId, activityId: ids.activityIds.bus, weekStart: '2026-03-09', action: 'book' as const };
    const preview = await previewBatch(ctx, actors.parent, ids.familyId, { kind: 'week', ...week });
    expect(preview.full).toMatchObject({ bookCount: 4, debitCents: 320 });
    expect(preview.refused.map((r) => r.text)).toEqual(['Bus — Julia — mardi 10/03 : complet']);
    const since = await lastLedgerId();
    await bookWholeWeek(ctx, actors.parent, { familyId: ids.familyId, ...week });
    await expectWritten(preview.full, since);

    const cancel = await previewBatch(ctx, actors.parent, ids.familyId, { kind: 'week', ...week, action: 'cancel' });
    expect(plain(cancel.full.text)).toBe('4 annulations, 3,20 € remboursés sur Transport');
    const since2 = await lastLedgerId();
    await bookWholeWeek(ctx, actors.parent, { familyId: ids.familyId, ...week, action: 'cancel' });
    await expectWritten(cancel.full, since2);
  });

  it('refuses another family\'s child in a preview as in the batch', async () => {
    const { ids, actors, ctx } = t;
    const err = await previewBatch(ctx, actors.parent, ids.familyId, { kind: 'day', childId: ids.otherChildId, date: '2026-03-09', action: 'book' }).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('NOT_FOUND');
    const forbidden = await previewBatch(ctx, actors.parent, ids.otherFamilyId, { kind: 'day', childId: ids.otherChildId, date: '2026-03-09', action: 'book' }).catch((e: unknown) => e);
    // Another family's file is not found (the policy's answer, so that ids cannot be probed).
    expect((forbidden as DomainError).code).toBe('NOT_FOUND');
  });
});

describe('preview == batch, on random batches', () => {
  it('agrees to the cent over 25 random batches with and without onlyPayable (fixed seed)', async () => {
    const { ids, actors, ctx } = t;
    let seed = 20260302;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const children = [ids.childJuliaId, ids.childLouisId, ids.childMargotId];
    const activities = Object.values(ids.activityIds);
    const wallets = [ids.walletRestaurationId, ids.walletPeriscolaireId, ids.walletTransportId];
    const dates = ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12'];
    let partial = 0;
    for (let i = 0; i < 25; i++) {
      await credit(pick(wallets), Math.floor(next() * 600));
      const changes = Array.from({ length: 1 + Math.floor(next() * 12) }, () => ({
        childId: pick(children), activityId: pick(activities), date: pick(dates), action: next() < 0.7 ? ('book' as const) : ('cancel' as const),
      }));
      const onlyPayable = next() < 0.6;
      const preview = await previewBatch(ctx, actors.parent, ids.familyId, { kind: 'changes', changes });
      const since = await lastLedgerId();
      const done = await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes, onlyPayable }).catch((e: unknown) => e);
      if (!preview.payable && !onlyPayable) {
        expect((done as DomainError).code).toBe('INSUFFICIENT_BALANCE');
        expect(await lastLedgerId()).toBe(since);
        continue;
      }
      const part = preview.payable ? preview.full : (preview.payablePart ?? { ...preview.full, wallets: [], bookCount: 0, cancelCount: 0, debitCents: 0, refundCents: 0 });
      if (!preview.payable) partial++;
      await expectWritten(part, since);
    }
    expect(partial).toBeGreaterThan(0); // the seed does reach the payable-part path
  });
});
