// The official school calendar over HTTP: the Ministry's file previewed then applied as
// "vacances" closures, idempotent, audited, refusing a wrong file in French, admin only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SchoolCalendarPreview, SchoolCalendarSettingsView } from '../../api/school-calendar.js';
import { sampleCsv, sampleJson, sampleRows } from '../school-calendar-samples.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { adjustWallet } from '../../core/wallet.js';
import { applyBookingChanges } from '../../core/bookings.js';
import { Browser, setPasswords, signedInStaff, startHarness, type Harness } from './harness.js';

let t: TestDb;
let h: Harness;
let admin: Browser;

beforeEach(async () => {
  t = await createTestDb({ now: '2026-09-14T08:00:00Z' });
  await setPasswords(t.db);
  h = await startHarness({ db: t.db, clock: t.clock });
  admin = await signedInStaff(h, 'admin');
});
afterEach(async () => {
  await h.close();
});

function form(content: string, fields: Record<string, string>, name = 'calendrier.csv'): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('file', new Blob([content], { type: 'text/csv' }), name);
  return f;
}
const send = (b: Browser, step: 'preview' | 'apply', content: string, fields: Record<string, string> = { zone: 'Zone A', academie: 'Bordeaux', years: '2026-2027' }) =>
  b.post<SchoolCalendarPreview & { error: { message: string; details?: { field?: string } } }>(`/api/staff/school-calendar/${step}`, undefined, { formData: form(content, fields) });
const closures = () => t.db('closures').where('kind', 'vacances').orderBy('date_from').select('label', 'date_from', 'date_to');

describe('the official school calendar import', () => {
  it('proposes the zone from the commune’s département', async () => {
    const s = await admin.get<SchoolCalendarSettingsView>('/api/staff/school-calendar/settings');
    expect(s.body).toMatchObject({ zone: 'Zone A', academie: 'Bordeaux', proposed: true }); // Gironde
  });

  it('finds the shipped holidays unchanged, then applies a changed file exactly as previewed, once', async () => {
    for (const text of [sampleCsv(sampleRows()), sampleJson(sampleRows())]) {
      const same = await send(admin, 'preview', text);
      expect(same.status, JSON.stringify(same.body)).toBe(200);
      expect(same.body.counts).toEqual({ add: 0, change: 0, same: 6, left: 0 });
      expect(same.body.summary).toMatch(/déjà à jour/);
    }
    // Spring a week later for Bordeaux, and a holiday the calendar does not have yet.
    const rows = sampleRows({ 'Vacances de Printemps': ['2027-04-17', '2027-05-03'] });
    rows.push({ description: 'Vacances de Carnaval', population: 'Élèves', start: '2027-03-12', end: '2027-03-15', zone: 'Zone A', location: 'Bordeaux', year: '2026-2027' });
    // A booking on the new days is cancelled and refunded, as with any closure.
    await adjustWallet(t.ctx, t.actors.admin, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 5000, reason: 'test' });
    await applyBookingChanges(t.ctx, t.actors.parent, { familyId: t.ids.familyId, changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: '2027-04-29', action: 'book' }] });
    const text = sampleCsv(rows);
    const preview = await send(admin, 'preview', text);
    expect(preview.body.counts).toEqual({ add: 1, change: 1, same: 5, left: 0 });
    const changed = preview.body.rows.find((r) => r.status === 'change')!;
    expect(changed).toMatchObject({ label: 'Vacances de printemps', dateFrom: '2027-04-18', dateTo: '2027-05-02', previousFrom: '2027-04-11', previousTo: '2027-04-25' });
    expect(changed.impact).toMatch(/1 réservation sera annulée et remboursée/);
    expect(preview.body.rows.find((r) => r.status === 'add')).toMatchObject({ label: 'Vacances de Carnaval', dateFrom: '2027-03-13', dateTo: '2027-03-14' });
    const before = await closures();
    expect(before.filter((c) => c.date_from >= '2026-09-01')).toHaveLength(6);

    const applied = await send(admin, 'apply', text);
    expect(applied.status).toBe(200);
    expect({ ...applied.body, applied: false, rows: applied.body.rows.map((r) => ({ ...r, impact: null })) }).toEqual({ ...preview.body, rows: preview.body.rows.map((r) => ({ ...r, impact: null })) });
    const after = await closures();
    expect(after).toContainEqual({ label: 'Vacances de printemps', date_from: '2027-04-18', date_to: '2027-05-02' });
    expect(after).toContainEqual({ label: 'Vacances de Carnaval', date_from: '2027-03-13', date_to: '2027-03-14' });
    expect(after).toHaveLength(before.length + 1);
    expect((await t.db('bookings').where({ child_id: t.ids.childJuliaId, date: '2027-04-29' }).first()).status).toBe('cancelled');
    expect(await t.db('audit_log').where('action', 'calendar.import').count({ n: '*' }).first()).toEqual({ n: 1 });
    const saved = await admin.get<SchoolCalendarSettingsView>('/api/staff/school-calendar/settings');
    expect(saved.body).toMatchObject({ zone: 'Zone A', academie: 'Bordeaux', proposed: false });

    // Re-import: nothing to change, nothing changed.
    const again = await send(admin, 'apply', text);
    expect(again.body.counts).toMatchObject({ add: 0, change: 0, same: 7 });
    expect(await closures()).toEqual(after);
  });

  it('reads a file re-saved in Windows-1252 by a spreadsheet', async () => {
    const f = new FormData();
    for (const [k, v] of Object.entries({ zone: 'Zone A', academie: 'Bordeaux', years: '2026-2027' })) f.append(k, v);
    const latin1 = Uint8Array.from(sampleCsv(sampleRows()).replace(/^\uFEFF/, ''), (ch) => ch.charCodeAt(0)); // all below U+0100
    f.append('file', new Blob([latin1], { type: 'text/csv' }), 'calendrier.csv');
    const res = await admin.post<SchoolCalendarPreview>('/api/staff/school-calendar/preview', undefined, { formData: f });
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ add: 0, change: 0, same: 6, left: 0 });
  });

  it('imports the years after this one by default, and names another zone’s holidays as left alone', async () => {
    const rows = sampleRows().map((r) => ({ ...r }));
    const res = await send(admin, 'preview', sampleJson(rows), { zone: 'Zone B', academie: '', years: '' });
    expect(res.status).toBe(200);
    expect(res.body.years).toEqual(['2026-2027']);
    expect(res.body.counts).toEqual({ add: 0, change: 1, same: 1, left: 4 }); // same Toussaint, later winter
  });

  it('refuses a wrong file, zone or year in French next to its field, changing nothing', async () => {
    const before = await closures();
    const cases: Array<[string, Record<string, string>, string, RegExp]> = [
      ['nom;prenom\nDUPONT;Jean\n', { zone: 'Zone A' }, 'file', /calendrier scolaire du ministère/],
      ['[{"nom":"x"}]', { zone: 'Zone A' }, 'file', /calendrier scolaire du ministère/],
      [sampleCsv(sampleRows()), { zone: 'Zone D' }, 'zone', /ne contient pas la zone « Zone D »/],
      [sampleCsv(sampleRows()), { zone: '' }, 'zone', /Choisissez la zone/],
      [sampleCsv(sampleRows()), { zone: 'Zone A', years: '2026' }, 'years', /Année scolaire invalide/],
      [sampleCsv(sampleRows()), { zone: 'Zone A', years: '2030-2031' }, 'years', /pas de vacances/],
      [sampleCsv(sampleRows()), { zone: 'Zone A', academie: 'Lille', years: '2026-2027' }, 'academie', /académie de Lille/],
    ];
    for (const [content, fields, field, message] of cases) {
      const res = await send(admin, 'apply', content, fields);
      expect(res.status, field).toBe(400);
      expect(res.body.error.message, field).toMatch(message);
      expect(res.body.error.details?.field, field).toBe(field);
    }
    const extra = await admin.post('/api/staff/school-calendar/preview', undefined, { formData: form(sampleCsv(sampleRows()), { zone: 'Zone A', pirate: '1' }) });
    expect(extra.status).toBe(400);
    const noFile = new FormData();
    noFile.append('zone', 'Zone A');
    expect((await admin.post('/api/staff/school-calendar/preview', undefined, { formData: noFile })).status).toBe(400);
    expect((await admin.post('/api/staff/school-calendar/preview', { zone: 'Zone A' })).status).toBe(400);
    expect(await closures()).toEqual(before);
    expect(await t.db('settings').where('key', 'school_calendar').first()).toBeUndefined();
  });

  it('is the admin’s alone', async () => {
    for (const who of ['secretariat', 'restauration']) {
      const b = await signedInStaff(h, who);
      expect((await b.get('/api/staff/school-calendar/settings')).status, who).toBe(403);
      expect((await send(b, 'apply', sampleCsv(sampleRows()))).status, who).toBe(403);
    }
    const parent = new Browser(h.url);
    await parent.loginParent('chantal.devret');
    expect((await send(parent, 'preview', sampleCsv(sampleRows()))).status).toBe(403);
    expect((await send(new Browser(h.url), 'preview', sampleCsv(sampleRows()))).status).toBe(401);
  });
});
