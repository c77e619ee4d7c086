import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBookingChanges } from './bookings.js';
import { getMealList, mealMarkers } from './meals.js';
import { mealListPdf } from './pdf/meal-list.js';
import { pdfToText } from '../tests/support/pdf-text.js';
import { createTestDb, TEST_COMMUNE, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';

let t: TestDb;
const day = '2026-03-05'; // Thursday, served

beforeEach(async () => {
  t = await createTestDb();
  const { ids, ctx, actors } = t;
  await t.db('children').where({ id: ids.childJuliaId }).update({ allergies: 'arachide', diet: 'sans_porc' });
  await t.db('children').where({ id: ids.childMargotId }).update({ pai: true, pai_note: 'œuf' });
  await adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 5000, reason: 'crédit de test' });
  await adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId: ids.walletRestaurationId, amountCents: 5000, reason: 'crédit de test' });
  const cantine = ids.activityIds.cantine;
  await applyBookingChanges(ctx, actors.secretariat, {
    familyId: ids.familyId,
    changes: [
      { childId: ids.childJuliaId, activityId: cantine, date: day, action: 'book' },
      { childId: ids.childMargotId, activityId: cantine, date: day, action: 'book' },
      { childId: ids.childLouisId, activityId: cantine, date: '2026-03-06', action: 'book' },
    ],
  });
  await applyBookingChanges(ctx, actors.secretariat, {
    familyId: ids.otherFamilyId,
    changes: [{ childId: ids.otherChildId, activityId: cantine, date: day, action: 'book' }],
  });
  // A non-meal activity never shows on the meal list.
  await t.db('wallets').update({ overdraft_limit_cents: 100000 });
  await applyBookingChanges(ctx, actors.secretariat, {
    familyId: ids.familyId,
    changes: [{ childId: ids.childLouisId, activityId: ids.activityIds.garderieSoir, date: day, action: 'book' }],
  });
});
afterEach(async () => {
  await t.db.destroy();
});

describe('getMealList', () => {
  it('lists exactly the children booked on a meal activity, by school and class, with totals', async () => {
    const list = await getMealList(t.ctx, { date: day });
    expect(list.schools.map((s) => s.schoolName)).toEqual(['École maternelle des Tilleuls', 'École élémentaire Jean Moulin']);
    const [maternelle, elementaire] = list.schools;
    expect(maternelle!.classes.map((c) => [c.className, c.children.map((ch) => ch.firstName)])).toEqual([['MS', ['Margot']]]);
    expect(elementaire!.classes.map((c) => [c.className, c.children.map((ch) => ch.firstName)])).toEqual([['CM1', ['Julia', 'Léo']]]);
    expect(list.totals).toEqual({ total: 3, byDiet: { standard: 2, sans_porc: 1 }, allergies: 1, pai: 1 });
    expect(elementaire!.totals.total).toBe(2);
    expect(maternelle!.classes[0]!.children[0]!.pai).toBe(true);

    // Cancelled bookings leave the list.
    await applyBookingChanges(t.ctx, t.actors.admin, {
      familyId: t.ids.familyId,
      override: true, overrideReason: 'Oubli signalé par la famille',
      changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: day, action: 'cancel' }],
    });
    const after = await getMealList(t.ctx, { date: day });
    expect(after.totals.total).toBe(2);
    expect(after.schools[1]!.classes[0]!.children.map((c) => c.firstName)).toEqual(['Léo']);
  });

  it('filters by school and refuses a bad date', async () => {
    const list = await getMealList(t.ctx, { date: day, schoolId: t.ids.schoolMaternelleId });
    expect(list.schools).toHaveLength(1);
    expect(list.totals.total).toBe(1);
    await expect(getMealList(t.ctx, { date: '2026-02-30' })).rejects.toThrow(/Date invalide/);
  });

  it('prints diet, allergy and PAI markers', () => {
    expect(mealMarkers({ diet: 'sans_porc', allergies: 'arachide', pai: true, paiNote: '' })).toEqual(['Sans porc', 'Allergie : arachide', 'PAI']);
    expect(mealMarkers({ diet: 'standard', allergies: ' ', pai: false, paiNote: '' })).toEqual([]);
  });
});

describe('mealListPdf', () => {
  it('prints every booked child under its school with markers and totals', async () => {
    const list = await getMealList(t.ctx, { date: day });
    const text = await pdfToText(await mealListPdf(list, TEST_COMMUNE, t.clock.now()));
    expect(text).toContain('Liste des repas du jeudi 5 mars 2026');
    expect(text).toMatch(/École maternelle des Tilleuls — 1 repas/);
    expect(text).toMatch(/École élémentaire Jean Moulin — 2 repas/);
    expect(text).toMatch(/DEVRET\s+Julia\s+.*Sans porc ; Allergie : arachide/);
    expect(text).toMatch(/DEVRET\s+Margot\s+.*PAI : œuf/);
    expect(text).toMatch(/MARTIN\s+Léo/);
    expect(text).not.toContain('Louis');
  });
});

describe('a long list, several classes', () => {
  // 50 more lunches in the élémentaire, in classes whose alphabetical order is not the school's.
  beforeEach(async () => {
    const { ids } = t;
    const at = '2026-01-01T00:00:00.000Z';
    const classes = ['CM2', 'CE1', 'CP', 'CE2'];
    for (let i = 0; i < 50; i++) {
      const [row] = await t.db('children')
        .insert({ family_id: ids.otherFamilyId, first_name: `Enfant${String(i).padStart(2, '0')}`, last_name: 'MARTIN', birth_date: '2017-01-01', school_id: ids.schoolElementaireId, class_name: classes[i % 4], created_at: at, updated_at: at })
        .returning('id');
      const childId = typeof row === 'number' ? row : (row as { id: number }).id;
      await t.db('bookings').insert({ child_id: childId, activity_id: ids.activityIds.cantine, date: day, status: 'booked', price_cents: 320, source: 'staff', created_at: at, updated_at: at });
    }
    await t.db('children').where({ id: ids.childMargotId }).update({ class_name: 'GS' });
    await t.db('children').where({ id: ids.childLouisId }).update({ school_id: ids.schoolMaternelleId, class_name: 'PS' });
    await t.db('bookings').insert({ child_id: ids.childLouisId, activity_id: ids.activityIds.cantine, date: day, status: 'booked', price_cents: 320, source: 'staff', created_at: at, updated_at: at });
  });

  it('sorts classes in school order (PS, MS, GS, CP, CE1, CE2, CM1, CM2)', async () => {
    const list = await getMealList(t.ctx, { date: day });
    expect(list.schools.map((s) => s.classes.map((c) => c.className))).toEqual([
      ['PS', 'GS'],
      ['CP', 'CE1', 'CE2', 'CM1', 'CM2'],
    ]);
  });

  it('repeats the day and the school at the top of every page of the PDF', async () => {
    const list = await getMealList(t.ctx, { date: day });
    const pages = (await pdfToText(await mealListPdf(list, TEST_COMMUNE, t.clock.now()))).split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const elementaire = pages.filter((p) => p.includes('École élémentaire Jean Moulin — repas du jeudi 5 mars 2026'));
    expect(elementaire.length).toBeGreaterThanOrEqual(2); // the élémentaire runs over more than one page
    for (const page of pages) {
      expect(page).toMatch(/(École maternelle des Tilleuls|École élémentaire Jean Moulin) — repas du jeudi 5 mars 2026/);
      // A page holds one school only.
      expect(page.includes('Tilleuls') && page.includes('Jean Moulin')).toBe(false);
    }
  });
});
