// The rentrée over HTTP: classes per school, the passage's preview equals its result, once per
// year, archived children no longer bookable, past subscriptions ended, admin only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PassagePreview, SchoolClassesView, SchoolYearsView } from '../../api/rentree.js';
import type { FamilyDetail } from '../../api/staff.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { adjustWallet } from '../../core/wallet.js';
import { Browser, insertId, setPasswords, signedInStaff, snapshotCounts, startHarness, type Harness } from './harness.js';

let t: TestDb;
let h: Harness;
let admin: Browser;
let zoe: number;
let nina: number;
let hugo: number;
const at = '2026-06-01T08:00:00.000Z';

beforeEach(async () => {
  t = await createTestDb({ now: '2026-06-15T08:00:00Z' });
  await setPasswords(t.db);
  h = await startHarness({ db: t.db, clock: t.clock });
  admin = await signedInStaff(h, 'admin');
  const kid = (first: string, schoolId: number, className: string, birth: string) =>
    insertId(t.db, 'children', { family_id: t.ids.familyId, first_name: first, last_name: 'DEVRET', birth_date: birth, school_id: schoolId, class_name: className, created_at: at, updated_at: at });
  zoe = await kid('Zoé', t.ids.schoolElementaireId, 'CM2', '2015-02-02');
  nina = await kid('Nina', t.ids.schoolElementaireId, '', '2018-02-02');
  hugo = await kid('Hugo', t.ids.schoolMaternelleId, 'GS', '2020-02-02');
  // A standing order running past the school year (the horizon was set further by the mairie).
  await t.db('subscriptions').insert({ child_id: t.ids.childJuliaId, activity_id: t.ids.activityIds.cantine, weekdays: '1,2,4,5', date_from: '2026-03-02', date_to: '2027-06-30', created_at: at });
  const mat = await admin.put<SchoolClassesView>(`/api/staff/rentree/schools/${t.ids.schoolMaternelleId}/classes`, {
    classes: [{ name: 'PS', level: 'PS' }, { name: 'MS', level: 'MS' }, { name: 'GS', level: 'GS' }],
    nextSchoolId: t.ids.schoolElementaireId,
  });
  expect(mat.status, JSON.stringify(mat.body)).toBe(200);
  const elem = await admin.put<SchoolClassesView>(`/api/staff/rentree/schools/${t.ids.schoolElementaireId}/classes`, {
    classes: ['CP', 'CE1', 'CE2', 'CM1', 'CM2'].map((name) => ({ name, level: name })),
  });
  expect(elem.status).toBe(200);
  expect(elem.body.classes.map((c) => [c.name, c.children])).toEqual([['CP', 1], ['CE1', 0], ['CE2', 0], ['CM1', 2], ['CM2', 1]]);
});
afterEach(async () => {
  await h.close();
});

const placeOf = async (id: number) => t.db('children').where({ id }).first('school_id', 'class_name', 'active');

describe('the passage en classe supérieure', () => {
  it('applies exactly its preview, once, archiving CM2 and ending the past year’s subscriptions', async () => {
    const years = await admin.get<SchoolYearsView>('/api/staff/rentree/years');
    expect(years.body.proposed).toBe('2026-2027');
    const first = await admin.post<PassagePreview>('/api/staff/rentree/passage/preview', { year: '2026-2027' });
    expect(first.status).toBe(200);
    const by = (p: PassagePreview, id: number) => p.rows.find((r) => r.childId === id)!;
    expect(by(first.body, t.ids.childJuliaId)).toMatchObject({ action: 'move', to: { className: 'CM2' } });
    expect(by(first.body, t.ids.childLouisId)).toMatchObject({ action: 'move', to: { className: 'CE1' } });
    expect(by(first.body, t.ids.childMargotId)).toMatchObject({ action: 'move', to: { className: 'GS', schoolId: t.ids.schoolMaternelleId } });
    expect(by(first.body, hugo)).toMatchObject({ action: 'move', to: { className: 'CP', schoolId: t.ids.schoolElementaireId, schoolName: expect.any(String) } });
    expect(by(first.body, zoe)).toMatchObject({ action: 'leave', to: null });
    expect(by(first.body, nina)).toMatchObject({ action: 'stay', flag: expect.stringMatching(/Sans classe/) });
    expect(first.body.counts).toEqual({ move: 5, leave: 1, stay: 1, flagged: 1, subscriptions: 1, leaverBookings: 0, leaverRefundCents: 0 });

    // Zoé leaves; a Cantine of hers in September (a horizon set past the year) is cancelled and refunded.
    const walletId: number = (await t.db('activities').where({ id: t.ids.activityIds.cantine }).first('wallet_id')).wallet_id;
    const september = await insertId(t.db, 'bookings', { child_id: zoe, activity_id: t.ids.activityIds.cantine, date: '2026-09-03', status: 'booked', price_cents: 320, source: 'parent', created_at: at, updated_at: at });
    await t.db('ledger_entries').insert({ family_id: t.ids.familyId, wallet_id: walletId, amount_cents: -320, kind: 'booking_debit', label: 'Cantine Zoé', child_id: zoe, activity_id: t.ids.activityIds.cantine, service_date: '2026-09-03', booking_id: september, created_at: at });

    // The admin decides for Nina, previews again, confirms that preview.
    const body = { year: '2026-2027', overrides: [{ childId: nina, action: 'move', schoolId: t.ids.schoolElementaireId, className: 'CE1' }] };
    const preview = await admin.post<PassagePreview>('/api/staff/rentree/passage/preview', body);
    expect(preview.body.confirmLabel).toBe('Confirmer le passage de 7 enfants');
    expect(preview.body.counts).toMatchObject({ leaverBookings: 1, leaverRefundCents: 320 });
    expect((await admin.post('/api/staff/rentree/passage/apply', { ...body, token: 'autre' })).status).toBe(409);
    const applied = await admin.post<PassagePreview>('/api/staff/rentree/passage/apply', { ...body, token: preview.body.token });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect({ ...applied.body, applied: false }).toEqual(preview.body);
    for (const r of preview.body.rows) {
      const now = await placeOf(r.childId);
      if (r.action === 'leave') expect(!!now.active).toBe(false);
      else expect([now.school_id, now.class_name, !!now.active]).toEqual([r.to!.schoolId, r.to!.className, true]);
    }
    expect(await t.db('bookings').where({ id: september }).first('status')).toEqual({ status: 'cancelled' });
    const entries: Array<{ amount_cents: number }> = await t.db('ledger_entries').where({ booking_id: september }).select('amount_cents');
    expect(entries.reduce((sum, e) => sum + e.amount_cents, 0)).toBe(0);
    const sub = await t.db('subscriptions').first('date_to', 'ended_at');
    expect(sub.date_to).toBe('2026-08-31');
    expect(sub.ended_at).not.toBeNull();
    const year = await admin.get<SchoolYearsView>('/api/staff/rentree/years');
    expect(year.body.years).toMatchObject([{ label: '2026-2027', current: true, promotedAt: expect.any(String) }]);
    expect(year.body.proposed).toBe('2027-2028');
    expect(await t.db('audit_log').where({ action: 'rentree.passage' }).count({ n: '*' }).first()).toEqual({ n: 8 });
    expect(await t.db('audit_log').where({ action: 'closure.bookings_cancelled', entity: 'school_year', entity_id: '2026-2027' }).count({ n: '*' }).first()).toEqual({ n: 1 });

    const again = await admin.post<{ error: { message: string } }>('/api/staff/rentree/passage/apply', { ...body, token: preview.body.token });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/déjà été fait/);
    expect((await admin.post('/api/staff/rentree/passage/preview', body)).status).toBe(409);
    const back = await admin.post<{ error: { message: string } }>('/api/staff/rentree/passage/preview', { year: '2025-2026' });
    expect([back.status, back.body.error.message]).toEqual([400, 'L’année 2025-2026 n’est pas après l’année en cours (2026-2027).']);
  });

  it('leaves an archived child on the family page, bookable neither by the parent nor the counter', async () => {
    const p = await admin.post<PassagePreview>('/api/staff/rentree/passage/preview', { year: '2026-2027' });
    expect((await admin.post('/api/staff/rentree/passage/apply', { year: '2026-2027', token: p.body.token })).status).toBe(200);
    await adjustWallet(t.ctx, t.actors.admin, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 5000, reason: 'test' });
    const change = { changes: [{ childId: zoe, activityId: t.ids.activityIds.cantine, date: '2026-06-25', action: 'book' }] };
    const parent = new Browser(h.url);
    expect((await parent.loginParent('chantal.devret')).status).toBe(200);
    const byParent = await parent.post<{ error: { message: string } }>('/api/parent/planning/changes', change);
    expect(byParent.status).toBe(400);
    expect(byParent.body.error.message).toMatch(/n'est plus inscrit/);
    const desk = await signedInStaff(h, 'secretariat');
    const byDesk = await desk.post('/api/staff/families/' + t.ids.familyId + '/planning/changes', change);
    expect(byDesk.status).toBe(400);
    expect(await t.db('bookings').where({ child_id: zoe }).count({ n: '*' }).first()).toEqual({ n: 0 });
    const page = await desk.get<FamilyDetail>(`/api/staff/families/${t.ids.familyId}`);
    expect(page.body.archivedChildren.map((c) => c.firstName)).toEqual(['Zoé']);
    expect(page.body.children.map((c) => c.firstName)).not.toContain('Zoé');
  });

  it('is the admin’s alone, and refuses hostile bodies in French without writing', async () => {
    const before = await snapshotCounts(t.db);
    for (const who of ['secretariat', 'restauration']) {
      const b = await signedInStaff(h, who);
      expect((await b.get('/api/staff/rentree/schools')).status, who).toBe(403);
      expect((await b.post('/api/staff/rentree/passage/preview', { year: '2026-2027' })).status, who).toBe(403);
      expect((await b.post('/api/staff/rentree/passage/apply', { year: '2026-2027' })).status, who).toBe(403);
      expect((await b.put(`/api/staff/rentree/schools/${t.ids.schoolMaternelleId}/classes`, { classes: [] })).status, who).toBe(403);
    }
    const parent = new Browser(h.url);
    await parent.loginParent('chantal.devret');
    expect((await parent.get('/api/staff/rentree/years')).status).toBe(403);
    expect((await new Browser(h.url).get('/api/staff/rentree/years')).status).toBe(401);
    for (const bad of [
      { year: 'abc' }, { year: '2026-2028' }, 'texte', { year: '2026-2027', extra: 1 }, { year: '2026-2027', overrides: 'x' },
      { year: '2026-2027', overrides: [{ childId: 'un', action: 'move' }] },
      { year: '2026-2027', overrides: [{ childId: t.ids.childJuliaId, action: 'move', schoolId: null, className: 'x'.repeat(10_000) }] },
      { year: '2026-2027', overrides: [{ childId: t.ids.childJuliaId, action: 'move', schoolId: null, className: '' }] },
      { year: '2026-2027', overrides: [{ childId: 999_999, action: 'leave' }] },
    ]) {
      const res = await admin.post<{ error: { message: string } }>('/api/staff/rentree/passage/apply', bad);
      expect(res.status, JSON.stringify(bad).slice(0, 80)).toBe(400);
      expect(res.body.error.message).toMatch(/[a-zé]/);
    }
    const classes = `/api/staff/rentree/schools/${t.ids.schoolElementaireId}/classes`;
    const dup = await admin.put<{ error: { message: string; details: { field: string } } }>(classes, { classes: [{ name: 'CP' }, { name: 'cp' }] });
    expect([dup.status, dup.body.error.message]).toEqual([400, 'La classe « cp » figure deux fois.']);
    const used = await admin.put<{ error: { message: string } }>(classes, { classes: [{ name: 'CP' }] });
    expect(used.body.error.message).toMatch(/a encore 1 enfant/);
    expect((await admin.put(classes, { classes: [], nextSchoolId: t.ids.schoolMaternelleId })).status).toBe(400);
    expect((await admin.put(classes, { classes: [{ name: 'CP', level: 'CP9' }] })).status).toBe(400);
    expect((await admin.put('/api/staff/rentree/schools/abc/classes', { classes: [] })).status).toBe(400);
    expect((await admin.put('/api/staff/rentree/schools/999/classes', { classes: [] })).status).toBe(404);
    expect(await snapshotCounts(t.db)).toEqual(before);
  });

  it('renames a class on its children and reorders the list', async () => {
    const list = (await admin.get<SchoolClassesView[]>('/api/staff/rentree/schools')).body.find((s) => s.id === t.ids.schoolElementaireId)!;
    const renamed = list.classes.map((c) => ({ id: c.id, name: c.name === 'CM1' ? 'CM1 Mme Roux' : c.name, level: c.level })).reverse();
    const res = await admin.put<SchoolClassesView>(`/api/staff/rentree/schools/${t.ids.schoolElementaireId}/classes`, { classes: renamed });
    expect(res.body.classes.map((c) => c.name)).toEqual(['CM2', 'CM1 Mme Roux', 'CE2', 'CE1', 'CP']);
    expect((await placeOf(t.ids.childJuliaId)).class_name).toBe('CM1 Mme Roux');
    expect((await placeOf(t.ids.otherChildId)).class_name).toBe('CM1 Mme Roux');
  });
});
