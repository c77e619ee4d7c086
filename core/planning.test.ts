import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBookingChanges } from './bookings.js';
import { DomainError } from './errors.js';
import { getWeekGrid } from './planning.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

describe('week grid', () => {
  it('shows Monday to Sunday for each child, activities by period, with the five states', async () => {
    const { ids, actors, ctx } = t;
    await adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 1000, reason: 'crédit' });
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [{ childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: '2026-03-09', action: 'book' }] });
    await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.familyId, override: true, overrideReason: 'Oubli signalé par la famille', changes: [{ childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: '2026-03-03', action: 'book' }] });

    const grid = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-04' });
    expect(grid).toMatchObject({ weekStart: '2026-03-02', weekEnd: '2026-03-08', previousWeek: '2026-02-23', nextWeek: '2026-03-09' });
    expect(grid.days.map((d) => d.label)).toEqual(['lundi 02/03', 'mardi 03/03', 'mercredi 04/03', 'jeudi 05/03', 'vendredi 06/03', 'samedi 07/03', 'dimanche 08/03']);
    expect(grid.days[0]?.weekdayLabel).toBe('lundi');
    expect(grid.children.map((c) => c.firstName).sort()).toEqual(['Julia', 'Louis', 'Margot']);
    const julia = grid.children.find((c) => c.childId === ids.childJuliaId)!;
    expect(julia).toMatchObject({ lastName: 'DEVRET', className: 'CM1', schoolId: ids.schoolElementaireId });
    expect(julia.periods.map((p) => p.label)).toEqual(['Période scolaire']);
    expect(julia.periods[0]!.rows.map((r) => r.activityName)).toEqual(['Garderie matin', 'Cantine', 'Garderie soir', 'Bus']);
    const cantine = julia.periods[0]!.rows.find((r) => r.activityId === ids.activityIds.cantine)!;
    expect(cantine).toMatchObject({ activityCode: 'cantine', walletId: ids.walletRestaurationId, priceCents: 320 });
    expect(cantine.cells.map((c) => c.state)).toEqual(['locked', 'booked_locked', 'closed', 'open', 'open', 'closed', 'closed']);
    expect(cantine.cells[0]?.reason).toBe('réservation close depuis jeudi 10 h');
    expect(cantine.cells[2]?.reason).toBe('pas d\'activité le mercredi');
    expect(cantine.cells[3]?.bookDeadline).toBe('2026-03-03T09:00:00.000Z');

    const next = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: grid.nextWeek, childId: ids.childJuliaId });
    expect(next.children).toHaveLength(1);
    expect(next.children[0]!.periods[0]!.rows[1]!.cells[0]?.state).toBe('booked');
    expect(next.balances.find((b) => b.walletId === ids.walletRestaurationId)?.balanceCents).toBe(1000 - 640);
  });

  it('shows holidays as closed with their label', async () => {
    const { ids, actors, ctx } = t;
    const grid = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-05-11' });
    const cells = grid.children[0]!.periods[0]!.rows[1]!.cells;
    expect(cells.map((c) => [c.state, c.reason ?? null])).toEqual([
      ['open', null], ['open', null], ['closed', 'pas d\'activité le mercredi'], ['closed', 'Ascension'],
      ['closed', 'Pont de l\'Ascension'], ['closed', 'pas d\'activité le samedi'], ['closed', 'pas d\'activité le dimanche'],
    ]);
  });

  it('uses the same number of queries for one child or three', async () => {
    const { ids, actors, ctx, db } = t;
    let queries = 0;
    db.on('query', () => queries++);
    await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09', childId: ids.childJuliaId });
    const one = queries;
    queries = 0;
    await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09' });
    expect(queries).toBe(one);
    // 9 for the grid, 4 for the glance (horizon 2, days covered, the week's charged amounts).
    expect(one).toBeLessThanOrEqual(13);
    const started = performance.now();
    for (let i = 0; i < 10; i++) await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09' });
    const perGrid = (performance.now() - started) / 10;
    expect(perGrid).toBeLessThan(50); // typically 2-5 ms here; the issue asks < 20 ms on the demo database
  });

  it('lets a parent read only their own family', async () => {
    const { ids, actors, ctx } = t;
    const err = await getWeekGrid(ctx, actors.otherParent, { familyId: ids.familyId, weekStart: '2026-03-09' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('NOT_FOUND');
    const notMine = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09', childId: ids.otherChildId }).catch((e: unknown) => e);
    expect((notMine as DomainError).code).toBe('NOT_FOUND');
    const bad = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '09/03/2026' }).catch((e: unknown) => e);
    expect((bad as DomainError).code).toBe('VALIDATION');
    const staff = await getWeekGrid(ctx, actors.secretariat, { familyId: ids.familyId, weekStart: '2026-03-09' });
    expect(staff.children).toHaveLength(3);
    // The canteen reads meal lists, not a family's file (api/rights.ts: family.read).
    const canteen = await getWeekGrid(ctx, actors.restauration, { familyId: ids.familyId, weekStart: '2026-03-09' }).catch((e: unknown) => e);
    expect((canteen as DomainError).code).toBe('FORBIDDEN');
  });
});
