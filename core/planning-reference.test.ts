import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getWeekGrid } from './planning.js';
import { planningReference } from './planning-reference.js';
import { createTestDb, type TestDb } from './test-support.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const closure = (label: string, date: string) => ({ kind: 'fermeture', label, date_from: date, date_to: date, created_at: '2026-03-01T00:00:00.000Z' });

describe('what every family shares, remembered per version', () => {
  it('never keeps what a rolled-back transaction read, even when a later change reaches the same version', async () => {
    const { db, ctx, actors, ids } = t;
    const cantineOn = async (date: string) => {
      const grid = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: date });
      return grid.children[0]!.periods[0]!.rows.find((r) => r.activityId === ids.activityIds.cantine)!.cells.find((c) => c.date === date)!;
    };
    expect((await cantineOn('2026-03-10')).state).toBe('open');
    const before = (await planningReference(db, t.clock.now())).version;

    // A transaction adds a closure, reads the reference (it sees its own closure), then rolls back.
    await db.transaction(async (trx) => {
      await trx('closures').insert(closure('Grève annulée', '2026-03-10'));
      const seen = await planningReference(trx, t.clock.now());
      expect(seen.version).toBe(before + 1);
      expect(seen.calendar.closureFor('2026-03-10', ids.activityIds.cantine, null)?.label).toBe('Grève annulée');
      throw new Error('annulé');
    }).catch((err: Error) => expect(err.message).toBe('annulé'));
    expect((await cantineOn('2026-03-10')).state).toBe('open');

    // Another change commits and brings the version to the number the rolled-back one had.
    await db('closures').insert(closure('Sortie scolaire', '2026-03-12'));
    expect((await planningReference(db, t.clock.now())).version).toBe(before + 1);
    expect(await cantineOn('2026-03-10')).toMatchObject({ state: 'open' });
    expect(await cantineOn('2026-03-12')).toMatchObject({ state: 'closed', reason: 'fermé : sortie scolaire' });
  });

  it('follows a change of tariff, activity or horizon at once', async () => {
    const { db, ctx, actors, ids } = t;
    const cantine = async () => (await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09' }))
      .children[0]!.periods[0]!.rows.find((r) => r.activityId === ids.activityIds.cantine);
    expect((await cantine())?.priceCents).toBe(320);
    await db('tariffs').where('activity_id', ids.activityIds.cantine).update({ price_cents: 330 });
    expect((await cantine())?.priceCents).toBe(330);
    await db('activities').where('id', ids.activityIds.cantine).update({ name: 'Restaurant scolaire' });
    expect((await cantine())?.activityName).toBe('Restaurant scolaire');
    await db('settings').insert({ key: 'booking_horizon', value: JSON.stringify({ mode: 'date', date: '2026-03-10' }), updated_at: '2026-03-01T00:00:00.000Z' });
    expect((await cantine())?.cells[3]).toMatchObject({ state: 'locked', reason: 'au-delà du 10 mars : réservations pas encore ouvertes' });
  });
});
