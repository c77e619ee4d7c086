import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getWeekGrid } from './planning.js';
import { createTestDb, type TestDb } from './test-support.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

describe('week grid days', () => {
  it('says which weekdays some activity serves, so that a phone shows a card only for those', async () => {
    const { ids, actors, ctx } = t;
    const grid = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09' });
    expect(grid.days.map((d) => [d.weekdayLabel, d.served])).toEqual([
      ['lundi', true],
      ['mardi', true],
      ['mercredi', true], // the Bus runs on Wednesdays
      ['jeudi', true],
      ['vendredi', true],
      ['samedi', false],
      ['dimanche', false],
    ]);
    // Without the Wednesday bus, Wednesday is not served; a Saturday activity makes Saturday one.
    await ctx.db('activities').where('id', ids.activityIds.bus).update({ weekdays: '1,2,4,5,6' });
    const withSaturday = await getWeekGrid(ctx, actors.parent, { familyId: ids.familyId, weekStart: '2026-03-09' });
    expect(withSaturday.days.filter((d) => d.served).map((d) => d.weekdayLabel)).toEqual(['lundi', 'mardi', 'jeudi', 'vendredi', 'samedi']);
  });
});
