// Families write side by side on PostgreSQL (core/tx.ts: a family's lock, shared global lock),
// and what families share, the places of an activity-day, is still never sold twice. The
// capacity race runs on both engines; "without waiting" is PostgreSQL's alone (SQLite has one
// writer by design).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBookingChanges, type BookingChange } from '../core/bookings.js';
import { createTestDb, type TestDb } from '../core/test-support.js';
import { writeTransaction } from '../core/tx.js';
import { adjustWallet, reverseLedgerEntry } from '../core/wallet.js';
import { onPostgres } from '../db/test-db.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
  for (const familyId of [t.ids.familyId, t.ids.otherFamilyId])
    for (const walletId of [t.ids.walletRestaurationId, t.ids.walletTransportId])
      await adjustWallet(t.ctx, t.actors.admin, { familyId, walletId, amountCents: 10_000, reason: 'crédit de test' });
});
afterEach(async () => t.db.destroy());

const cell = (childId: number, activityId: number, date: string): BookingChange => ({ childId, activityId, date, action: 'book' });

/** Fails clearly instead of hanging when a write waits for a lock it should not need. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} : toujours en attente après ${ms} ms`)), ms))]);
}

/** Opens a transaction in one family's scope and keeps it open until `release` (its locks held). */
async function holdFamily(familyId: number): Promise<{ release: () => Promise<void> }> {
  let letGo!: () => void;
  let entered!: () => void;
  const open = new Promise<void>((r) => (entered = r));
  const held = new Promise<void>((r) => (letGo = r));
  const holder = writeTransaction(t.ctx.db, async (trx) => {
    await trx('families').where('id', familyId).first('id');
    entered();
    await held;
  }, { familyId });
  await open;
  return {
    async release() {
      letGo();
      await holder;
    },
  };
}

describe.skipIf(!onPostgres())('two families on PostgreSQL', () => {
  it('books for one family while another family’s transaction is open, and queues a second write of that family', async () => {
    const { ids, actors, ctx } = t;
    const holder = await holdFamily(ids.familyId);

    const other = await within(5_000, 'la réservation de l’autre famille', applyBookingChanges(ctx, actors.otherParent, { familyId: ids.otherFamilyId, changes: [cell(ids.otherChildId, ids.activityIds.cantine, '2026-03-10')] }));
    expect(other.results[0]).toMatchObject({ outcome: 'done', state: 'booked' });

    let sameDone = false;
    const same = applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-10')] }).then((r) => {
      sameDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(sameDone).toBe(false);
    await holder.release();
    expect((await within(5_000, 'la réservation de la même famille', same)).results[0]).toMatchObject({ outcome: 'done' });
  });

  it('adjusts and reverses another family’s wallet while a family’s transaction is open', async () => {
    const { ids, actors, ctx } = t;
    const holder = await holdFamily(ids.familyId);
    try {
      const walletId = ids.walletRestaurationId;
      const credit = await within(5_000, 'la régularisation de l’autre famille', adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId, amountCents: 250, reason: 'geste commercial' }));
      const reversal = await within(5_000, 'la contre-passation de l’autre famille', reverseLedgerEntry(ctx, actors.admin, { entryId: credit.entryId, reason: 'erreur de saisie' }));
      expect(reversal.balanceCents).toBe(credit.balanceCents - 250);
    } finally {
      await holder.release();
    }
  });

  it('an unscoped change (the whole commune’s) still waits for a family’s open transaction', async () => {
    const { ids, ctx } = t;
    const holder = await holdFamily(ids.familyId);
    // A change of the whole commune (an activity's settings), in a transaction without scope.
    let changed = false;
    const change = writeTransaction(ctx.db, (trx) => trx('activities').where('id', ids.activityIds.bus).update({ name: 'Bus scolaire' }))
      .then(() => (changed = true));
    await new Promise((r) => setTimeout(r, 400));
    expect(changed).toBe(false);
    await holder.release();
    await within(5_000, 'le changement de la commune', change);
    expect(changed).toBe(true);
  });
});

describe('the last place of an activity-day, asked by two families at once', () => {
  it('goes to exactly one of them, every time, with no debit for the other', async () => {
    const { ids, actors, ctx } = t; // Bus: capacity 2
    const dates = ['2026-03-10', '2026-03-12', '2026-03-13', '2026-03-17', '2026-03-19'];
    for (const date of dates) {
      await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.bus, date)] });
      const [mine, theirs] = await Promise.all([
        applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childLouisId, ids.activityIds.bus, date)] }),
        applyBookingChanges(ctx, actors.otherParent, { familyId: ids.otherFamilyId, changes: [cell(ids.otherChildId, ids.activityIds.bus, date)] }),
      ]);
      const outcomes = [mine.results[0]!.outcome, theirs.results[0]!.outcome].sort();
      expect(outcomes, date).toEqual(['done', 'refused']);
      expect(await t.db('bookings').where({ activity_id: ids.activityIds.bus, date, status: 'booked' }).count({ n: '*' }).first()).toMatchObject({ n: 2 });
    }
    // Debits: Julia's five days and one winner per day, nothing for a refused cell.
    const debits = await t.db('ledger_entries').where('wallet_id', ids.walletTransportId).where('amount_cents', '<', 0).count({ n: '*' }).first();
    expect(debits).toMatchObject({ n: dates.length * 2 });
  });
});
