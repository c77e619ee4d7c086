// Issue 8, console scope, over HTTP (real SQLite, the real Express app, sessions and CSRF):
// numbers typed in French, homonyms, the portal's e-mail, the canteen's pointage limits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { type Browser, PASSWORD, snapshotCounts, signedInStaff, startHarness, type Harness } from './harness.js';

// Monday 9 March 2026, 12:30 Paris (lunch).
const NOW = '2026-03-09T11:30:00.000Z';
let t: TestDb;
let h: Harness;

const signIn = (username: string): Promise<Browser> => signedInStaff(h, username);
const qfOf = async (familyId: number) => ((await t.db('families').where({ id: familyId }).first('quotient_familial')) as { quotient_familial: number | null }).quotient_familial;

beforeEach(async () => {
  t = await createTestDb({ now: NOW });
  await t.db('staff_users').update({ password_hash: await hashPassword(PASSWORD) });
  h = await startHarness({ db: t.db, now: NOW });
});
afterEach(async () => {
  await h.close();
});

describe('quotient familial and other numbers typed in French', () => {
  it('saves "1 250" as 1250, on the file and on a new family', async () => {
    const b = await signIn('secretariat');
    expect((await b.put(`/api/staff/families/${t.ids.familyId}`, { quotientFamilial: '1 250' })).status).toBe(200);
    expect(await qfOf(t.ids.familyId)).toBe(1250);
    const created = await b.post<{ id: number }>('/api/staff/families', { name: 'LEFÈVRE', quotientFamilial: '1250' });
    expect(created.status).toBe(201);
    expect(await qfOf(created.body.id)).toBe(1250);
  });

  it('refuses "12,5" and "abc" with a French 400 naming the field, and changes nothing', async () => {
    const b = await signIn('secretariat');
    const before = await snapshotCounts(t.db);
    for (const bad of ['12,5', 'abc', '12 5', 12.5, -1]) {
      const res = await b.put<{ error: { code: string; message: string; details: { issues: Array<{ path: string }> } } }>(`/api/staff/families/${t.ids.familyId}`, { quotientFamilial: bad });
      expect(res.status, String(bad)).toBe(400);
      expect(res.body.error.message).toMatch(/^Quotient familial : /);
      expect(res.body.error.details.issues[0]!.path).toBe('quotientFamilial');
    }
    const created = await b.post<{ error: { message: string } }>('/api/staff/families', { name: 'LEFÈVRE', quotientFamilial: 'abc' });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toBe('Quotient familial : nombre entier attendu (par exemple 1 250).');
    expect(await qfOf(t.ids.familyId)).toBe(850);
    expect(await t.db('families').where({ name: 'LEFÈVRE' }).first()).toBeUndefined();
    expect(await snapshotCounts(t.db)).toEqual(before);
  });

  it('an empty QF is "non fourni" only when the agent leaves it empty', async () => {
    const b = await signIn('secretariat');
    expect((await b.put(`/api/staff/families/${t.ids.familyId}`, { quotientFamilial: null })).status).toBe(200);
    expect(await qfOf(t.ids.familyId)).toBeNull();
  });

  it('refuses an activity capacity or price typed wrong, naming the field', async () => {
    const b = await signIn('admin');
    const activity = { name: 'Étude', periodLabel: 'Période scolaire', walletId: t.ids.walletPeriscolaireId, weekdays: [1], startTime: null, endTime: null,
      bookDaysBefore: 1, bookUntilTime: '10:00', cancelDaysBefore: 1, cancelUntilTime: '10:00', lateSurchargeCents: 0, meal: false, active: true,
      tariffs: [{ qfMin: 0, qfMax: null, priceCents: 150, label: '' }], code: 'etude' };
    const bad = await b.post<{ error: { message: string } }>('/api/staff/activities', { ...activity, capacity: '1 2' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Capacité : nombre entier attendu (par exemple 1 250).');
    const zero = await b.post<{ error: { message: string } }>('/api/staff/activities', { ...activity, capacity: 0 });
    expect(zero.body.error.message).toBe('Capacité : 1 au minimum.');
    expect(await t.db('activities').where({ code: 'etude' }).first()).toBeUndefined();
    expect((await b.post('/api/staff/activities', { ...activity, capacity: '1 200' })).status).toBe(201);
    expect(await t.db('activities').where({ code: 'etude' }).first('capacity')).toEqual({ capacity: 1200 });
  });
});

describe('a new family with the name of an existing one', () => {
  it('is refused with the homonyms listed, then created once the agent confirms', async () => {
    const b = await signIn('secretariat');
    const res = await b.post<{ error: { code: string; message: string; details: { field: string; homonyms: Array<{ id: number; code: string; name: string }> } } }>(
      '/api/staff/families',
      { name: 'Dévret ' },
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('DEVRET (F0001)');
    expect(res.body.error.details).toEqual({ field: 'name', homonyms: [{ id: t.ids.familyId, code: 'F0001', name: 'DEVRET' }] });
    expect(await t.db('families').count({ n: '*' }).first()).toEqual({ n: 2 });
    const confirmed = await b.post<{ id: number; code: string }>('/api/staff/families', { name: 'Dévret', confirmHomonym: true });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.code).toBe('F0003');
  });
});

describe('portal access', () => {
  it('needs an e-mail on the contact card (the guide sends the reset links there)', async () => {
    const b = await signIn('secretariat');
    const [contactId] = (await t.db('contacts').insert({ family_id: t.ids.familyId, relationship: 'PERE', last_name: 'DEVRET', first_name: 'Marc', email: '', created_at: NOW, updated_at: NOW }).returning('id')).map((r: { id: number } | number) => (typeof r === 'number' ? r : r.id));
    const res = await b.post<{ error: { message: string; details: { field: string } } }>(`/api/staff/families/${t.ids.familyId}/portal-accounts`, { contactId });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Adresse e-mail manquante : complétez la fiche de Marc DEVRET avant d’ouvrir son accès au portail.');
    expect(res.body.error.details.field).toBe('contactId');
    expect(await t.db('parent_accounts').where({ contact_id: contactId }).first()).toBeUndefined();
    await t.db('contacts').where({ id: contactId }).update({ email: 'marc.devret@exemple.fr' });
    expect((await b.post(`/api/staff/families/${t.ids.familyId}/portal-accounts`, { contactId })).status).toBe(201);
  });
});

describe('pointage by the canteen (restauration)', () => {
  beforeEach(async () => {
    await t.db('bookings').insert({ child_id: t.ids.childLouisId, activity_id: t.ids.activityIds.cantine, date: '2026-03-06', status: 'booked', price_cents: 320, source: 'parent', created_at: NOW, updated_at: NOW });
  });

  it('marks today, but a past day or a justification (a refund) answers 403 and writes nothing', async () => {
    const b = await signIn('restauration');
    const cantine = t.ids.activityIds.cantine;
    const today = await b.post('/api/staff/attendance', { activityId: cantine, date: '2026-03-09', marks: [{ childId: t.ids.childJuliaId, present: true }] });
    expect(today.status).toBe(200);
    const before = await snapshotCounts(t.db);
    const past = await b.post<{ error: { message: string } }>('/api/staff/attendance', { activityId: cantine, date: '2026-03-06', marks: [{ childId: t.ids.childLouisId, present: false, justified: true }] });
    expect(past.status).toBe(403);
    expect(past.body.error.message).toBe('Seul le secrétariat peut corriger le pointage d’un jour passé.');
    const justified = await b.post<{ error: { message: string } }>('/api/staff/attendance', { activityId: cantine, date: '2026-03-09', marks: [{ childId: t.ids.childLouisId, present: false, justified: true }] });
    expect(justified.status).toBe(403);
    expect(await snapshotCounts(t.db)).toEqual(before);
    const sec = await signIn('secretariat');
    expect((await sec.post('/api/staff/attendance', { activityId: cantine, date: '2026-03-06', marks: [{ childId: t.ids.childLouisId, present: false, justified: true }] })).status).toBe(200);
  });
});
