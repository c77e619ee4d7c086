import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WeekGridResponse } from '../api/parent.js';
import { applyBookingChanges } from './bookings.js';
import { getWeekGrid } from './planning.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';

/**
 * The kept week grids (core/planning-cache.ts) against the grid computed afresh: a grid read
 * inside a transaction is never kept nor taken from the cache, which makes it the oracle.
 */
let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const WEEK = '2026-03-09';

async function both(familyId = t.ids.familyId, actor = t.actors.parent): Promise<{ served: WeekGridResponse; fresh: WeekGridResponse }> {
  const served = await getWeekGrid(t.ctx, actor, { familyId, weekStart: WEEK });
  const fresh = await t.db.transaction((trx) => getWeekGrid({ ...t.ctx, db: trx }, actor, { familyId, weekStart: WEEK }));
  return { served, fresh };
}

function queryCount(): { readonly n: number; stop(): void } {
  const counter = { n: 0 };
  const count = () => counter.n++;
  t.db.on('query', count);
  return { get n() { return counter.n; }, stop: () => t.db.off('query', count) };
}

const cantineCells = (g: WeekGridResponse, childIndex = 0) =>
  g.children[childIndex]!.periods[0]!.rows.find((r) => r.activityId === t.ids.activityIds.cantine)!.cells;

describe('kept week grids', () => {
  it('serve what a fresh computation shows after every kind of change', async () => {
    const { ids, actors, ctx, db } = t;
    await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: WEEK });
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['a credit at the counter', () => adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 2000, reason: 'crédit' })],
      ['a parent’s booking', () => applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: WEEK, action: 'book' }] })],
      ['its cancellation', () => applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: WEEK, action: 'cancel' }] })],
      ['a child renamed', () => db('children').where('id', ids.childJuliaId).update({ first_name: 'Julie' })],
      ['a child leaving', () => db('children').where('id', ids.childLouisId).update({ active: false })],
      ['the family’s threshold', () => db('families').where('id', ids.familyId).update({ low_balance_threshold_cents: 5000 })],
      ['the family’s QF', () => db('families').where('id', ids.familyId).update({ quotient_familial: 400 })],
      ['a tariff', () => db('tariffs').where('activity_id', ids.activityIds.cantine).update({ price_cents: 355 })],
      ['a wallet’s label', () => db('wallets').where('id', ids.walletRestaurationId).update({ label: 'Cantine et goûters' })],
      ['a closure', () => db('closures').insert({ kind: 'fermeture', label: 'Grève', date_from: '2026-03-10', date_to: '2026-03-10', activity_id: ids.activityIds.cantine, created_at: '2026-03-01T00:00:00.000Z' })],
      ['a ledger entry written by hand', () => db('ledger_entries').insert({ family_id: ids.familyId, wallet_id: ids.walletRestaurationId, amount_cents: -150, kind: 'adjustment', label: 'script', created_at: '2026-03-02T09:00:00.000Z' })],
    ];
    for (const [what, change] of steps) {
      const before = (await both()).served;
      await change();
      const { served, fresh } = await both();
      expect(served, what).toEqual(fresh);
      expect(served, what).not.toEqual(before);
    }
  });

  it('follows the places other families take of a limited activity', async () => {
    const { ids, actors, ctx, db } = t;
    await db('activities').where('id', ids.activityIds.cantine).update({ capacity: 1 });
    expect(cantineCells((await both()).served)[0]!.state).toBe('open');
    await adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId: ids.walletRestaurationId, amountCents: 1000, reason: 'crédit' });
    await applyBookingChanges(ctx, actors.otherParent, { familyId: ids.otherFamilyId, changes: [{ childId: ids.otherChildId, activityId: ids.activityIds.cantine, date: WEEK, action: 'book' }] });
    const { served, fresh } = await both();
    expect(served).toEqual(fresh);
    expect(cantineCells(served)[0]!.reason).toBe('complet');
  });

  it('turns at a deadline and at midnight, though nothing was written', async () => {
    const { ids, actors, ctx, clock } = t;
    const first = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: WEEK });
    const monday = cantineCells(first)[0]!;
    expect(monday.state).toBe('open');
    // Just before the deadline the kept grid is served; at the deadline it is not.
    clock.set(new Date(Date.parse(monday.bookDeadline!) - 30_000));
    await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: WEEK });
    clock.set(new Date(Date.parse(monday.bookDeadline!) - 1));
    const reads = queryCount();
    expect(cantineCells(await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: WEEK }))[0]!.state).toBe('open');
    expect(reads.n).toBe(2);
    reads.stop();
    clock.set(monday.bookDeadline!);
    const { served, fresh } = await both();
    expect(served).toEqual(fresh);
    expect(cantineCells(served)[0]!.state).toBe('locked');
    // The next Paris day: "jeudi" becomes "hier" in the words, whatever was kept.
    clock.set('2026-03-05T23:30:00.000Z');
    const late = await both();
    expect(late.served).toEqual(late.fresh);
  });

  it('keeps one grid per family, week and child, never one read in a transaction', async () => {
    const { ids, actors, ctx, db } = t;
    const mine = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: WEEK });
    const theirs = await getWeekGrid(ctx, actors.otherParent, { familyId: ids.otherFamilyId, weekStart: WEEK });
    expect(theirs.children.map((c) => c.childId)).toEqual([ids.otherChildId]);
    const julia = await getWeekGrid(ctx, actors.secretariat, { familyId: ids.familyId, weekStart: WEEK, childId: ids.childJuliaId });
    expect(julia.children).toHaveLength(1);
    expect(await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: WEEK })).toBe(mine);
    // Another parent never reads this family's kept grid: the policy runs before the cache.
    await expect(getWeekGrid(ctx, actors.otherParent, { familyId: ids.familyId, weekStart: WEEK })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // What a transaction reads and then rolls back is never served afterwards.
    await db.transaction(async (trx) => {
      await trx('children').where('id', ids.childJuliaId).update({ first_name: 'Fantôme' });
      const inside = await getWeekGrid({ ...ctx, db: trx }, actors.parent, { familyId: ids.familyId, weekStart: WEEK });
      expect(inside.children.map((c) => c.firstName)).toContain('Fantôme');
      await trx.rollback();
    }).catch(() => undefined);
    const after = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: WEEK });
    expect(after.children.map((c) => c.firstName)).not.toContain('Fantôme');
  });
});
