import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CatererOrderView } from '../api/routes/staff-caterer.js';
import { pdfToText } from '../tests/support/pdf-text.js';
import { recordAttendance } from './attendance.js';
import { applyBookingChanges } from './bookings.js';
import { getCatererOrder, setAdultMeals } from './caterer-order.js';
import { writeCatererOrderXlsx } from './caterer-order-xlsx.js';
import { FixedClock } from './clock.js';
import type { Actor, CoreContext } from './context.js';
import { addDays, eachDate, mondayOf } from './dates.js';
import { seedDemoIfEmpty } from './demo/seed.js';
import { getMealList } from './meals.js';
import { catererOrderPdf } from './pdf/caterer-order.js';
import { createTestDb, TEST_COMMUNE, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';
import { toBuffer } from './xlsx.js';
import type { Db } from '../db/index.js';
import { openTestDb } from '../db/test-db.js';

/** The meal list's figures of one school, in the order's shape (the zero diets dropped). */
const nonZero = (byDiet: Record<string, number>) => Object.fromEntries(Object.entries(byDiet).filter(([, n]) => n > 0));

describe('the caterer’s order on the demo data', () => {
  let db: Db;
  let ctx: CoreContext;
  let restauration: Actor;
  const clock = new FixedClock('2026-11-30T08:00:00Z'); // a Monday, 09:00 in Paris

  beforeAll(async () => {
    db = await openTestDb();
    await seedDemoIfEmpty({ db, clock } as CoreContext);
    ctx = { db, clock } as CoreContext;
    const row = (await db('staff_users').where('role', 'restauration').first('id', 'display_name')) as { id: number; display_name: string };
    restauration = { kind: 'staff', staffUserId: row.id, role: 'restauration', name: row.display_name };
  }, 180_000);
  afterAll(async () => {
    await db?.destroy();
  });

  it('equals the meal list of every day of the range, school by school', async () => {
    const from = addDays(mondayOf('2026-11-30'), -21);
    const to = addDays(from, 41);
    const order = await getCatererOrder(ctx, restauration, { from, to });
    const byDate = new Map(order.days.map((d) => [d.date, d]));
    let meals = 0;
    for (const date of eachDate(from, to)) {
      const list = await getMealList(ctx, { date });
      const day = byDate.get(date);
      if (!day) {
        expect(list.totals.total, date).toBe(0);
        continue;
      }
      expect(day.cells.map((c) => c.schoolId), date).toEqual(list.schools.map((s) => s.schoolId));
      for (const s of list.schools) {
        const cell = day.cells.find((c) => c.schoolId === s.schoolId)!;
        expect({ children: cell.children, byDiet: nonZero(cell.byDiet), allergies: cell.allergies, pai: cell.pai }, `${date} ${s.schoolName}`).toEqual({
          children: s.totals.total,
          byDiet: s.totals.byDiet,
          allergies: s.totals.allergies,
          pai: s.totals.pai,
        });
      }
      expect(day.totals.children).toBe(list.totals.total);
      meals += list.totals.total;
    }
    expect(meals).toBeGreaterThan(100); // the range holds real bookings
    expect(order.totals.children).toBe(meals);
    // Past days carry the pointage of the demo's history; days to come none.
    expect(order.days.some((d) => d.past && d.totals.actual != null)).toBe(true);
    expect(order.days.filter((d) => !d.past).every((d) => d.totals.actual == null)).toBe(true);
  });

  it('refuses a range over three months or upside down, in French', async () => {
    await expect(getCatererOrder(ctx, restauration, { from: '2026-09-01', to: '2026-12-31' })).rejects.toThrow(/limitée à 93 jours/);
    await expect(getCatererOrder(ctx, restauration, { from: '2026-09-10', to: '2026-09-01' })).rejects.toThrow(/date de fin doit suivre/);
  });
});

describe('adults’ meals and the pointage', () => {
  let t: TestDb;
  const day = '2026-03-05'; // Thursday, served

  beforeEach(async () => {
    t = await createTestDb();
    const { ids, ctx, actors } = t;
    await t.db('children').where({ id: ids.childJuliaId }).update({ allergies: 'arachide', diet: 'sans_porc' });
    await t.db('children').where({ id: ids.childMargotId }).update({ pai: true, pai_note: 'œuf', diet: 'vegetarien' });
    await adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 5000, reason: 'crédit de test' });
    await applyBookingChanges(ctx, actors.secretariat, {
      familyId: ids.familyId,
      changes: [
        { childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: day, action: 'book' },
        { childId: ids.childMargotId, activityId: ids.activityIds.cantine, date: day, action: 'book' },
        { childId: ids.childLouisId, activityId: ids.activityIds.cantine, date: '2026-03-06', action: 'book' },
      ],
    });
  });
  afterEach(async () => {
    await t.db.destroy();
  });

  const cell = (o: CatererOrderView, date: string, schoolId: number) => o.days.find((d) => d.date === date)!.cells.find((c) => c.schoolId === schoolId)!;

  it('adds the adults entered by the kitchen to the total, audited, and refuses bad counts', async () => {
    const { ctx, actors, ids } = t;
    await setAdultMeals(ctx, actors.restauration, { schoolId: ids.schoolElementaireId, date: day, count: 4 });
    await setAdultMeals(ctx, actors.restauration, { schoolId: ids.schoolElementaireId, date: day, count: 6 });
    const o = await getCatererOrder(ctx, actors.restauration, { from: '2026-03-02', to: '2026-03-08' });
    const e = cell(o, day, ids.schoolElementaireId);
    expect(e).toMatchObject({ children: 1, adults: 6, total: 7, allergies: 1, pai: 0 });
    expect(e.byDiet).toEqual({ standard: 0, sans_porc: 1, vegetarien: 0, sans_gluten: 0 });
    expect(cell(o, day, ids.schoolMaternelleId)).toMatchObject({ children: 1, pai: 1, adults: 0, total: 1 });
    expect(o.days.map((d) => d.date)).toEqual(['2026-03-02', '2026-03-03', '2026-03-05', '2026-03-06']);
    expect(o.totals).toMatchObject({ children: 3, adults: 6, total: 9 });
    const trail = await t.db('audit_log').where('action', 'caterer.adult_meals').orderBy('id').select('before_json', 'after_json');
    expect(trail.map((r) => [r.before_json, r.after_json])).toEqual([['null', '{"count":4}'], ['{"count":4}', '{"count":6}']]);

    for (const bad of [-1, 501, 2.5, '3']) {
      await expect(setAdultMeals(ctx, actors.restauration, { schoolId: ids.schoolElementaireId, date: day, count: bad })).rejects.toThrow(/Repas adultes/);
    }
    await expect(setAdultMeals(ctx, actors.restauration, { schoolId: 9999, date: day, count: 1 })).rejects.toThrow(/École/);
    expect(await t.db('adult_meals').count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
    expect(Number((await t.db('adult_meals').count({ n: '*' }).first())!.n)).toBe(1);
    await expect(setAdultMeals(ctx, actors.parent, { schoolId: ids.schoolElementaireId, date: day, count: 1 })).rejects.toThrow();
  });

  it('shows the actual count from the pointage beside the booked one, once the day has come', async () => {
    const { ctx, actors, ids } = t;
    let o = await getCatererOrder(ctx, actors.restauration, { from: day, to: day });
    expect(o.days[0]).toMatchObject({ past: false, totals: { actual: null } });

    t.clock.set('2026-03-05T13:00:00Z');
    o = await getCatererOrder(ctx, actors.restauration, { from: day, to: day });
    expect(cell(o, day, ids.schoolElementaireId).actual).toBeNull(); // not pointed yet
    // Julia is there, Margot absent, and Léo (not booked) came anyway.
    await recordAttendance(ctx, actors.restauration, {
      activityId: ids.activityIds.cantine,
      date: day,
      marks: [
        { childId: ids.childJuliaId, present: true },
        { childId: ids.childMargotId, present: false },
        { childId: ids.otherChildId, present: true },
      ],
    });
    o = await getCatererOrder(ctx, actors.restauration, { from: day, to: '2026-03-06' });
    expect(cell(o, day, ids.schoolElementaireId)).toMatchObject({ children: 1, actual: 2 });
    expect(cell(o, day, ids.schoolMaternelleId)).toMatchObject({ children: 1, actual: 0 });
    expect(o.days[0]!.totals.actual).toBe(2);
    expect(o.days[1]).toMatchObject({ date: '2026-03-06', past: false, totals: { children: 1, actual: null } });
  });

  it('prints a PDF and an xlsx with the figures and no money', async () => {
    const { ctx, actors, ids } = t;
    await setAdultMeals(ctx, actors.restauration, { schoolId: ids.schoolMaternelleId, date: day, count: 3 });
    const o = await getCatererOrder(ctx, actors.restauration, { from: '2026-03-02', to: '2026-03-13' });
    const text = await pdfToText(await catererOrderPdf(o, TEST_COMMUNE, t.clock.now()));
    expect(text).toContain('Commande traiteur du 02/03/2026 au 13/03/2026');
    expect(text).toContain('Semaine du 02/03/2026');
    expect(text).toContain('Semaine du 09/03/2026');
    expect(text).toMatch(/jeudi 05\/03\s+École maternelle des Tilleuls\s+0\s+0\s+1\s+0\s+0\s+1\s+3\s+4/);
    expect(text).not.toContain('€');

    const buf = await toBuffer((out) => writeCatererOrderXlsx(o, out, 'Commune test'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Commande traiteur')!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[1]).toEqual(['Date', 'Jour', 'École', 'Standard', 'Sans porc', 'Végétarien', 'Sans gluten', 'Allergies', 'PAI', 'Enfants', 'Adultes', 'Total repas', 'Réel (pointage)']);
    const mat = rows.find((r) => r[0] instanceof Date && (r[0] as Date).toISOString().startsWith(day) && r[2] === 'École maternelle des Tilleuls')!;
    expect(mat.slice(3, 12)).toEqual([0, 0, 1, 0, 0, 1, 1, 3, 4]);
    expect(rows[rows.length - 1]!.slice(0, 1).concat(rows[rows.length - 1]!.slice(9, 12))).toEqual(['Total', 3, 3, 6]);
    expect(JSON.stringify(rows)).not.toContain('€');
  });
});
