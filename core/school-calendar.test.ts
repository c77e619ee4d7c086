import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySchoolCalendar, previewSchoolCalendar } from './school-calendar.js';
import { sampleCsv, sampleRows } from '../tests/school-calendar-samples.js';
import { createTestDb, type TestDb } from './test-support.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb({ now: '2026-09-14T08:00:00Z' });
});
afterEach(async () => {
  await t.db.destroy();
});

const fields = { zone: 'Zone A', academie: 'Bordeaux', years: '2026-2027' };

describe('the closure diff of the official calendar', () => {
  it('adds, changes, keeps and leaves by holiday name and school year; applying twice changes nothing', async () => {
    // A recorded holiday the file does not name, and one recorded with other dates.
    await t.db('closures').insert({ kind: 'vacances', label: 'Vacances de Carnaval', date_from: '2027-03-13', date_to: '2027-03-14', created_at: 'x' });
    await t.db('closures').where({ label: 'Vacances de Noël', date_from: '2026-12-20' }).update({ date_to: '2027-01-02' });
    await t.db('closures').where({ label: 'Pont de l\'Ascension', date_from: '2027-05-07' }).delete();
    // A school's own closure of the same name is not a school holiday of the commune.
    await t.db('closures').insert({ kind: 'vacances', label: 'Pont de l\'Ascension', date_from: '2027-05-07', date_to: '2027-05-07', school_id: t.ids.schoolMaternelleId, created_at: 'x' });
    const text = sampleCsv(sampleRows());
    const p = await previewSchoolCalendar(t.ctx, t.actors.admin, fields, text);
    expect(p.rows.map((r) => [r.status, r.label])).toEqual([
      ['same', 'Vacances de la Toussaint'],
      ['change', 'Vacances de Noël'],
      ['same', 'Vacances d\'hiver'],
      ['same', 'Vacances de printemps'],
      ['add', 'Pont de l\'Ascension'],
      ['same', 'Vacances d\'été'],
      ['left', 'Vacances de Carnaval'],
    ]);
    expect(p.rows[1]).toMatchObject({ dateTo: '2027-01-03', previousTo: '2027-01-02' });
    const applied = await applySchoolCalendar(t.ctx, t.actors.admin, fields, text);
    expect({ ...applied, applied: false }).toEqual(p);
    const again = await previewSchoolCalendar(t.ctx, t.actors.admin, fields, text);
    expect(again.counts).toEqual({ add: 0, change: 0, same: 6, left: 1 });
    await expect(previewSchoolCalendar(t.ctx, t.actors.secretariat, fields, text)).rejects.toThrow(/administrateur/);
  });
});
