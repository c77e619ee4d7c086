// Unit tests of the secretariat's and admin's editing functions: family file (staff side),
// activities and tariffs, calendar closures, and the journal that records all of it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClosure, checkTariffs, createActivity, deleteClosure, getCalendarView, listActivitiesAdmin, updateActivity, updateClosure, type ActivityValues } from './activities-admin.js';
import { searchFamilies } from './family-search.js';
import { queryJournal } from './journal.js';
import { addChildByStaff, createFamily, listChildrenForStaff, updateChildByStaff, updateFamily } from './staff-family.js';
import { createTestDb, type TestDb } from './test-support.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

describe('family file, staff side', () => {
  it('updates a child’s school file with PAI, audited with the changed fields only', async () => {
    const child = await updateChildByStaff(t.ctx, t.actors.secretariat, {
      familyId: t.ids.familyId,
      childId: t.ids.childLouisId,
      values: { firstName: 'Louis', lastName: 'DEVRET', birthDate: '2019-09-03', schoolId: t.ids.schoolElementaireId, className: 'CE1', diet: 'standard', allergies: 'kiwi', pai: true, paiNote: 'trousse dans le bureau' },
    });
    expect(child).toMatchObject({ className: 'CE1', allergies: 'kiwi', pai: true, paiNote: 'trousse dans le bureau', schoolName: 'École élémentaire Jean Moulin' });
    const a = await t.db('audit_log').where({ action: 'child.update' }).first();
    expect(JSON.parse(a.before_json)).toEqual({ className: 'CP', allergies: '', pai: false, paiNote: '' });
    expect(a.family_id).toBe(t.ids.familyId);

    await expect(
      updateChildByStaff(t.ctx, t.actors.secretariat, { familyId: t.ids.otherFamilyId, childId: t.ids.childLouisId, values: { ...child, schoolId: child.schoolId } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      updateChildByStaff(t.ctx, t.actors.restauration, { familyId: t.ids.familyId, childId: t.ids.childLouisId, values: child }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('creates a family with the next code, adds a child, and keeps search current', async () => {
    const { id, code } = await createFamily(t.ctx, t.actors.secretariat, { name: 'Lefèvre', quotientFamilial: 640 });
    expect(code).toBe('F0003');
    await addChildByStaff(t.ctx, t.actors.secretariat, {
      familyId: id,
      values: { firstName: 'Inès', lastName: 'Lefèvre', birthDate: '2018-02-02', schoolId: t.ids.schoolElementaireId, className: 'CE2', diet: 'vegetarien', allergies: '', pai: false, paiNote: '' },
    });
    expect((await listChildrenForStaff(t.ctx, id)).map((c) => `${c.firstName} ${c.lastName}`)).toEqual(['Inès LEFÈVRE']);
    expect((await searchFamilies(t.ctx, { q: 'ines' })).map((h) => h.id)).toEqual([id]);
    await updateFamily(t.ctx, t.actors.secretariat, { familyId: id, name: 'Lefebvre', staffNote: 'Paie par chèque' });
    expect((await searchFamilies(t.ctx, { q: 'lefebvre' })).map((h) => h.code)).toEqual(['F0003']);
    const audits = await t.db('audit_log').where({ family_id: id }).orderBy('id').pluck('action');
    expect(audits).toEqual(['family.create', 'child.create', 'family.update']);
  });
});

const cantineValues = async (): Promise<ActivityValues> => {
  const a = (await listActivitiesAdmin(t.ctx)).find((x) => x.code === 'cantine')!;
  return { ...a, tariffs: a.tariffs.map(({ id: _id, ...rest }) => rest) };
};

describe('activities and tariffs', () => {
  it('lists activities with their brackets', async () => {
    const cantine = (await listActivitiesAdmin(t.ctx)).find((a) => a.code === 'cantine')!;
    expect(cantine.weekdays).toEqual([1, 2, 4, 5]);
    expect(cantine.tariffs.map((x) => x.priceCents)).toEqual([250, 320, 390]);
  });

  it('changes prices and deadlines for the admin only, audited', async () => {
    const values = await cantineValues();
    values.tariffs[1]!.priceCents = 340;
    values.bookUntilTime = '09:30';
    const updated = await updateActivity(t.ctx, t.actors.admin, { activityId: t.ids.activityIds.cantine, values });
    expect(updated.tariffs.map((x) => x.priceCents)).toEqual([250, 340, 390]);
    expect(updated.bookUntilTime).toBe('09:30');
    const a = await t.db('audit_log').where({ action: 'activity.update' }).first();
    expect(JSON.parse(a.before_json).tariffs[1].priceCents).toBe(320);
    await expect(updateActivity(t.ctx, t.actors.secretariat, { activityId: t.ids.activityIds.cantine, values })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses overlapping brackets and creates a new activity', async () => {
    expect(() => checkTariffs([{ qfMin: 0, qfMax: 700, priceCents: 100, label: '' }, { qfMin: 650, qfMax: null, priceCents: 200, label: '' }])).toThrow(/chevauchent/);
    expect(() => checkTariffs([{ qfMin: 0, qfMax: null, priceCents: 100, label: '' }, { qfMin: 650, qfMax: null, priceCents: 200, label: '' }])).toThrow(/pas la dernière/);
    expect(checkTariffs([{ qfMin: 0, qfMax: null, priceCents: 100, label: '' }])[0]!.label).toBe('QF 0 et plus');
    const values = { ...(await cantineValues()), name: 'Étude surveillée', meal: false, tariffs: [{ qfMin: 0, qfMax: null, priceCents: 150, label: '' }] };
    const created = await createActivity(t.ctx, t.actors.admin, { code: 'etude', values });
    expect(created).toMatchObject({ code: 'etude', name: 'Étude surveillée', meal: false });
    await expect(createActivity(t.ctx, t.actors.admin, { code: 'etude', values })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('calendar', () => {
  it('shows computed public holidays and editable closures', async () => {
    const view = await getCalendarView(t.ctx, { from: '2026-05-01', to: '2026-05-31' });
    expect(view.publicHolidays.map((h) => h.date)).toEqual(['2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25']);
    expect(view.closures.map((c) => c.label)).toContainEqual(expect.stringMatching(/Ascension/));

    const added = await addClosure(t.ctx, t.actors.admin, { kind: 'mairie', label: 'Journée pédagogique', dateFrom: '2026-05-22', dateTo: '2026-05-22', activityId: null, schoolId: null });
    const changed = await updateClosure(t.ctx, t.actors.admin, { closureId: added.id, values: { ...added, label: 'Fermeture exceptionnelle' } });
    expect(changed.label).toBe('Fermeture exceptionnelle');
    await deleteClosure(t.ctx, t.actors.admin, { closureId: added.id });
    expect((await getCalendarView(t.ctx, { from: '2026-05-22', to: '2026-05-22' })).closures).toEqual([]);
    await expect(addClosure(t.ctx, t.actors.secretariat, { ...added, label: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(addClosure(t.ctx, t.actors.admin, { ...added, dateFrom: '2026-05-23' })).rejects.toThrow(/fin doit suivre/);
    expect(await t.db('audit_log').where('action', 'like', 'closure.%').orderBy('id').pluck('action')).toEqual(['closure.create', 'closure.update', 'closure.delete']);
  });
});

describe('journal', () => {
  it('filters by Paris day, action, family and staff, newest first, with names', async () => {
    await updateFamily(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, staffNote: 'première' });
    t.clock.set('2026-03-03T09:00:00Z');
    await updateFamily(t.ctx, t.actors.admin, { familyId: t.ids.otherFamilyId, staffNote: 'seconde' });
    const all = await queryJournal(t.ctx, t.actors.secretariat, {});
    expect(all.rows.map((r) => r.familyName)).toEqual(['MARTIN', 'DEVRET']);
    expect(all.rows[0]).toMatchObject({ actorName: 'Administrateur', actionLabel: 'Dossier modifié' });
    expect((await queryJournal(t.ctx, t.actors.secretariat, { from: '2026-03-03', to: '2026-03-03' })).rows).toHaveLength(1);
    expect((await queryJournal(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId })).rows).toHaveLength(1);
    expect((await queryJournal(t.ctx, t.actors.secretariat, { staffUserId: t.ids.staffAdminId })).rows[0]!.familyName).toBe('MARTIN');
    expect((await queryJournal(t.ctx, t.actors.secretariat, { limit: 1 })).hasMore).toBe(true);
    expect(all.actions).toEqual([{ action: 'family.update', label: 'Dossier modifié' }]);
    await expect(queryJournal(t.ctx, t.actors.restauration, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
