// "Statistiques CAF" over HTTP (real database, the real Express app, sessions and CSRF): roles,
// French 400s for a bad period, the figures and the Excel file read back with exceljs, and the
// activity's "durée comptée pour la CAF" through "Activités et tarifs".
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CafReport } from '../../api/caf.js';
import type { ActivityAdminView } from '../../api/staff.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { setPasswords, signedInStaff, startHarness, type Harness } from './harness.js';

let t: TestDb;
let h: Harness;

beforeEach(async () => {
  t = await createTestDb({ now: '2026-04-01T09:00:00.000Z' });
  await setPasswords(t.db);
  h = await startHarness({ db: t.db, clock: t.clock });
  const { ids } = t;
  await t.db('activities').where({ id: ids.activityIds.garderieMatin }).update({ caf_minutes_per_day: 90 });
  // Margot turns 6 on 10/03/2026; MARTIN has no QF.
  await t.db('children').where({ id: ids.childMargotId }).update({ birth_date: '2020-03-10' });
  const mark = (childId: number, date: string, present = true) => ({
    child_id: childId, activity_id: ids.activityIds.garderieMatin, date, present, justified: false, staff_user_id: ids.staffAdminId, recorded_at: '2026-04-01T09:00:00.000Z',
  });
  await t.db('attendance').insert([
    mark(ids.childMargotId, '2026-03-09'),
    mark(ids.childMargotId, '2026-03-10'),
    mark(ids.childMargotId, '2026-03-12'),
    mark(ids.otherChildId, '2026-03-09'),
    mark(ids.otherChildId, '2026-03-10', false),
  ]);
});
afterEach(async () => {
  await h.close();
});

const Q = '/api/staff/caf?from=2026-01-01&to=2026-12-31';

describe('roles', () => {
  it('admin and secretariat read; restauration gets 403; no session 401', async () => {
    for (const u of ['admin', 'secretariat']) expect((await (await signedInStaff(h, u)).get(Q)).status).toBe(200);
    const kitchen = await signedInStaff(h, 'restauration');
    expect((await kitchen.get(Q)).status).toBe(403);
    expect((await kitchen.get(Q.replace('/caf?', '/caf/statistiques-caf.xlsx?'))).status).toBe(403);
    const anon = await signedInStaff(h, 'admin');
    anon.cookie = '';
    expect((await anon.get(Q)).status).toBe(401);
  });
});

describe('figures', () => {
  it('hours by age band and QF band, distinct children', async () => {
    const b = await signedInStaff(h, 'secretariat');
    const res = await b.get<CafReport>(Q);
    expect(res.status).toBe(200);
    const m = t.ids.activityIds.garderieMatin;
    expect(res.body.lines).toEqual([
      { activityId: m, ageBand: 'under6', qfBand: 'qf-1', days: 1, minutes: 90, children: 1 },
      { activityId: m, ageBand: 'over6', qfBand: 'qf-1', days: 2, minutes: 180, children: 1 },
      { activityId: m, ageBand: 'over6', qfBand: 'unknown', days: 1, minutes: 90, children: 1 },
    ]);
    expect(res.body.activities.find((a) => a.activityId === m)).toMatchObject({ minutesPerDay: 90, days: 4, minutes: 360, children: 2 });
    const custom = await b.get<CafReport>(`${Q}&qfBounds=${encodeURIComponent('500, 800')}`);
    expect(custom.body.lines.map((l) => l.qfBand)).toEqual(['qf-2', 'qf-2', 'unknown']);
  });

  it('bad periods and bands answer a French 400', async () => {
    const b = await signedInStaff(h, 'admin');
    const cases: Array<[string, RegExp]> = [
      ['/api/staff/caf?from=2026-03-31&to=2026-03-01', /fin doit suivre/],
      ['/api/staff/caf?from=2025-01-01&to=2026-12-31', /Période trop longue/],
      ['/api/staff/caf?from=2026-02-30&to=2026-03-01', /n’existe pas/],
      ['/api/staff/caf?from=hier&to=2026-03-01', /Date invalide/],
      ['/api/staff/caf?to=2026-03-01', /Date manquante/],
      [`${Q}&qfBounds=900,600`, /croissantes/],
      [`${Q}&qfBounds=abc`, /Tranches de QF/],
      [`/api/staff/caf/statistiques-caf.xlsx?from=2026-03-31&to=2026-03-01`, /fin doit suivre/],
    ];
    for (const [path, message] of cases) {
      const res = await b.get<{ error: { message: string } }>(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.message, path).toMatch(message);
    }
  });

  it('the Excel file reads back with the same figures, hours with 2 decimals', async () => {
    await t.db('activities').where({ id: t.ids.activityIds.garderieMatin }).update({ caf_minutes_per_day: 95 });
    const b = await signedInStaff(h, 'secretariat');
    const file = await b.get('/api/staff/caf/statistiques-caf.xlsx?from=2026-03-01&to=2026-03-31', { raw: true });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('statistiques-caf-2026-03-01-2026-03-31.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes!.buffer as ArrayBuffer);
    const ws = wb.getWorksheet('Statistiques CAF')!;
    expect(ws.getCell('A1').value).toBe('Heures de présence pour la CAF du 01/03/2026 au 31/03/2026');
    expect(ws.getRow(4).values).toEqual([undefined, 'Activité', 'Tranche d’âge', 'Tranche de QF', 'Jours de présence', 'Heures', 'Enfants distincts']);
    const rows = [5, 6, 7, 8].map((r) => (ws.getRow(r).values as unknown[]).slice(1));
    expect(rows).toEqual([
      ['Garderie matin', 'Moins de 6 ans', 'QF 601 à 900', 1, 1.58, 1],
      ['Garderie matin', '6 ans et plus', 'QF 601 à 900', 2, 3.17, 1],
      ['Garderie matin', '6 ans et plus', 'QF inconnu', 1, 1.58, 1],
      ['Total Garderie matin', undefined, undefined, 4, 6.33, 2],
    ]);
    expect(ws.getCell('E5').numFmt).toBe('0.00');
    const last = ws.getRow(ws.rowCount);
    expect((last.values as unknown[]).slice(1)).toEqual(['Total général', undefined, undefined, 4, 6.33, 2]);
    expect(wb.getWorksheet('Durées par activité')!.getRow(2).values).toEqual([undefined, 'Garderie matin', 95, 1.58]);
  });
});

describe('the activity setting', () => {
  it('is shown, saved, audited, and refused in French out of 0..1440', async () => {
    const b = await signedInStaff(h, 'admin');
    const list = await b.get<{ activities: ActivityAdminView[] }>('/api/staff/activities');
    const a = list.body.activities.find((x) => x.id === t.ids.activityIds.garderieSoir)!;
    const { id: _i, code: _c, position: _p, tariffs, ...rest } = a;
    const body = { ...rest, tariffs: tariffs.map(({ id: _t, ...x }) => x) };
    const bad = await b.put<{ error: { message: string } }>(`/api/staff/activities/${a.id}`, { ...body, cafMinutesPerDay: 1500 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Durée comptée pour la CAF/);
    const ok = await b.put<ActivityAdminView>(`/api/staff/activities/${a.id}`, { ...body, cafMinutesPerDay: 150 });
    expect(ok.status).toBe(200);
    expect(ok.body.cafMinutesPerDay).toBe(150);
    const audit = await t.db('audit_log').where({ action: 'activity.update', entity_id: String(a.id) }).first('after_json');
    expect(JSON.parse(audit.after_json as string).cafMinutesPerDay).toBe(150);
    const secretariat = await signedInStaff(h, 'secretariat');
    expect((await secretariat.put(`/api/staff/activities/${a.id}`, { ...body, cafMinutesPerDay: 10 })).status).toBe(403);
    expect((await t.db('activities').where({ id: a.id }).first('caf_minutes_per_day')).caf_minutes_per_day).toBe(150);
  });
});
