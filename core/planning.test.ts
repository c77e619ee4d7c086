import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBookingChanges } from './bookings.js';
import { DomainError } from './errors.js';
import { getWeekGrid } from './planning.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet, insertedId } from './wallet.js';

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

  it('reads a week in five queries for a family of one child or of four, however big the city, two while nothing changed', async () => {
    const { ids, actors, ctx, db } = t;
    const queriesOf = async (actor: typeof actors.parent, familyId: number): Promise<number> => {
      let n = 0;
      const count = () => n++;
      db.on('query', count);
      await getWeekGrid(ctx, actor, { familyId, weekStart: '2026-03-09' });
      db.off('query', count);
      return n;
    };
    // The first grid also reads what every family shares (activities, tariffs, closures, horizon 2).
    expect(await queriesOf(actors.parent, ids.familyId)).toBe(10);
    const at = '2026-03-01T00:00:00.000Z';
    await db('children').insert({ family_id: ids.familyId, first_name: 'Paul', last_name: 'DEVRET', birth_date: '2019-02-02', school_id: ids.schoolElementaireId, class_name: 'CP', created_at: at, updated_at: at });
    const four = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09' });
    expect(four.children).toHaveLength(4);
    // The same week again: the versions and the places taken, then the grid kept (core/planning-cache.ts).
    expect(await queriesOf(actors.parent, ids.familyId)).toBe(2);
    expect(await queriesOf(actors.otherParent, ids.otherFamilyId)).toBe(5);
    expect(await queriesOf(actors.otherParent, ids.otherFamilyId)).toBe(2);

    // A bigger city: forty more families booked on the same days change nothing for this one.
    for (let f = 0; f < 40; f++) {
      const [row] = await db('families').insert({ code: `C${f}`, name: `VILLE${f}`, created_at: at, updated_at: at }).returning('id');
      const familyId = insertedId(row);
      const [c] = await db('children').insert({ family_id: familyId, first_name: 'E', last_name: `VILLE${f}`, birth_date: '2017-01-01', school_id: ids.schoolElementaireId, class_name: 'CM1', created_at: at, updated_at: at }).returning('id');
      for (const date of ['2026-03-09', '2026-03-10', '2026-03-12']) {
        await db('bookings').insert({ child_id: insertedId(c), activity_id: ids.activityIds.cantine, date, status: 'booked', price_cents: 320, source: 'parent', created_at: at, updated_at: at });
      }
    }
    expect(await queriesOf(actors.parent, ids.familyId)).toBeLessThanOrEqual(5);
    expect(await queriesOf(actors.parent, ids.familyId)).toBe(2);

    // A closure added anywhere moves the shared part's version: read again once, then cached.
    await db('closures').insert({ kind: 'fermeture', label: 'Grève', date_from: '2026-03-10', date_to: '2026-03-10', activity_id: ids.activityIds.cantine, created_at: at });
    expect(await queriesOf(actors.parent, ids.familyId)).toBe(10);
    const strike = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09' });
    expect(strike.children[0]!.periods[0]!.rows.find((r) => r.activityId === ids.activityIds.cantine)!.cells[1]).toMatchObject({ state: 'closed', reason: 'fermé : grève' });
    expect(await queriesOf(actors.parent, ids.familyId)).toBe(2);
  });

  it('counts the places of every family from the counter', async () => {
    const { ids, actors, ctx, db } = t;
    await db('activities').where('id', ids.activityIds.cantine).update({ capacity: 1 });
    await adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId: ids.walletRestaurationId, amountCents: 1000, reason: 'crédit' });
    await applyBookingChanges(ctx, actors.otherParent, { familyId: ids.otherFamilyId, changes: [{ childId: ids.otherChildId, activityId: ids.activityIds.cantine, date: '2026-03-09', action: 'book' }] });
    const grid = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09' });
    const cantine = grid.children[0]!.periods[0]!.rows.find((r) => r.activityId === ids.activityIds.cantine)!;
    expect(cantine.cells.map((c) => c.reason ?? c.state).slice(0, 2)).toEqual(['complet', 'open']);
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
