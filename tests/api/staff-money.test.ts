// The counter's and the calendar's money routes end to end in-process: closures that cancel and
// refund (preview == apply), cash sessions, the cash cap and idempotent sales; roles and 400s.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBookingChanges } from '../../core/bookings.js';
import { hashPassword } from '../../core/auth.js';
import { pdfToText } from '../support/pdf-text.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { adjustWallet } from '../../core/wallet.js';
import { type Browser, PASSWORD, snapshotCounts, signedInStaff, startHarness, type Harness } from './harness.js';

const NOW = '2026-03-02T09:00:00.000Z'; // Monday 2 March 2026, 10:00 Paris
let t: TestDb;
let h: Harness;

const signIn = (username: string): Promise<Browser> => signedInStaff(h, username);
type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };
const strike = { kind: 'mairie', label: 'Grève du 5 mars', dateFrom: '2026-03-05', dateTo: '2026-03-05', activityId: null, schoolId: null };
const counts = async () => {
  const c = await snapshotCounts(t.db);
  return { ...c, receipts: Number((await t.db('receipts').count({ n: '*' }).first())?.n), closures: Number((await t.db('closures').count({ n: '*' }).first())?.n) };
};

beforeEach(async () => {
  t = await createTestDb({ now: NOW });
  await t.db('staff_users').update({ password_hash: await hashPassword(PASSWORD) });
  await t.db('contacts').insert({
    family_id: t.ids.familyId, relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', email: 'chantal@exemple.fr', use_for_billing: true, created_at: NOW, updated_at: NOW,
  });
  await adjustWallet(t.ctx, t.actors.admin, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 5000, reason: 'crédit de test' });
  await applyBookingChanges(t.ctx, t.actors.parent, {
    familyId: t.ids.familyId,
    changes: [t.ids.childJuliaId, t.ids.childLouisId].map((childId) => ({ childId, activityId: t.ids.activityIds.cantine, date: '2026-03-05', action: 'book' as const })),
  });
  h = await startHarness({ db: t.db, now: NOW });
});
afterEach(async () => {
  await h.close();
});

describe('closures over HTTP', () => {
  it('previews what the save then does, to the cent; the meal list no longer lists them', async () => {
    const admin = await signIn('admin');
    const preview = await admin.post<{ bookings: number; refundCents: number; families: number; familiesNotified: number; summary: string }>('/api/staff/closures/preview', strike);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ bookings: 2, refundCents: 640, families: 1, familiesNotified: 1 });
    expect(preview.body.summary.replace(/\s/g, ' ')).toBe('2 réservations seront annulées et remboursées (6,40 €), 1 famille prévenue par e-mail.');
    const saved = await admin.post<{ id: number; impact: typeof preview.body }>('/api/staff/closures', strike);
    expect(saved.status).toBe(201);
    const { summary: _a, ...applied } = saved.body.impact;
    const { summary: _b, ...announced } = preview.body;
    expect(applied).toEqual(announced);
    expect((await t.db('mail_outbox').where('kind', 'closure_cancellation')).map((m) => m.to_address)).toEqual(['chantal@exemple.fr']);
    const meals = await admin.get<{ totals: { total: number } }>('/api/staff/meals?date=2026-03-05');
    expect([meals.status, meals.body.totals.total]).toEqual([200, 0]);
    expect(await t.db('bookings').where('status', 'booked').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    // Removing it books nothing again.
    expect((await admin.delete(`/api/staff/closures/${saved.body.id}`)).status).toBe(200);
    expect(await t.db('bookings').where('status', 'booked').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('refuses the preview and the save to the restauration and the secretariat, and bad input in French, changing nothing', async () => {
    const before = await counts();
    for (const who of ['restauration', 'secretariat']) {
      const b = await signIn(who);
      expect((await b.post('/api/staff/closures/preview', strike)).status).toBe(403);
      expect((await b.post('/api/staff/closures', strike)).status).toBe(403);
    }
    const admin = await signIn('admin');
    const bad = await admin.post<Err>('/api/staff/closures/preview', { ...strike, dateTo: '2026-03-04' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('La date de fin doit suivre la date de début.');
    expect((await admin.post<Err>('/api/staff/closures', { ...strike, activityId: 9999 })).status).toBe(404);
    expect(await counts()).toEqual(before);
    expect(await t.db('bookings').where('status', 'booked').count({ n: '*' }).first()).toMatchObject({ n: 2 });
  });
});

describe('counter sales and cash sessions over HTTP', () => {
  const sale = { familyId: 0, walletId: 0, amountCents: 1500, method: 'especes' };
  beforeEach(() => {
    Object.assign(sale, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId });
  });

  it('answers a retry with the first receipt, another body with a French 409, and leaves no gap', async () => {
    const b = await signIn('secretariat');
    const key = 'b8f7c0de-1111-4e2a-9c3d-000000000001';
    const first = await b.post<{ numberLabel: string; id: number }>('/api/staff/sales', { ...sale, idempotencyKey: key });
    expect(first.status).toBe(201);
    const retry = await b.post<{ numberLabel: string; id: number }>('/api/staff/sales', { ...sale, idempotencyKey: key });
    expect([retry.status, retry.body.numberLabel, retry.body.id]).toEqual([201, first.body.numberLabel, first.body.id]);
    const other = await b.post<Err>('/api/staff/sales', { ...sale, amountCents: 1600, idempotencyKey: key });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/déjà servi pour une autre vente/);
    const next = await b.post<{ numberLabel: string }>('/api/staff/sales', { ...sale, idempotencyKey: 'b8f7c0de-1111-4e2a-9c3d-000000000002' });
    expect([first.body.numberLabel, next.body.numberLabel]).toEqual(['2026-000001', '2026-000002']);
    expect((await b.post<Err>('/api/staff/sales', { ...sale, idempotencyKey: 'x' })).status).toBe(400);
  });

  it('refuses 300,01 € in cash naming 300 €, next to the amount field, and records nothing', async () => {
    const b = await signIn('secretariat');
    const before = await counts();
    const r = await b.post<Err>('/api/staff/sales', { ...sale, amountCents: 30_001 });
    expect(r.status).toBe(400);
    expect(r.body.error.message.replace(/\s/g, ' ')).toMatch(/espèces limité à 300,00 €/);
    expect(r.body.error.details).toMatchObject({ field: 'amountCents' });
    expect(await counts()).toEqual(before);
    expect((await b.post('/api/staff/sales', { ...sale, amountCents: 30_001, method: 'carte' })).status).toBe(201);
  });

  it('puts sales after the closure in session 2; session 1 prints the same bytes before and after', async () => {
    const b = await signIn('secretariat');
    await b.post('/api/staff/sales', sale);
    expect((await b.get<{ openSession: number }>('/api/staff/cash/today')).body).toEqual({ date: '2026-03-02', openSession: 1, closedSessions: 0 });
    expect((await b.post('/api/staff/cash/2026-03-02/close')).status).toBe(200);
    const pdf1 = (await b.get('/api/staff/cash/2026-03-02/pdf?session=1', { raw: true })).bytes!;
    const xlsx1 = (await b.get('/api/staff/cash/2026-03-02/xlsx?session=1', { raw: true })).bytes!;
    expect((await b.get<{ openSession: number }>('/api/staff/cash/today')).body).toMatchObject({ openSession: 2, closedSessions: 1 });

    h.clock.advanceMinutes(30);
    const late = await b.post<{ cashSession: number }>('/api/staff/sales', { ...sale, amountCents: 700, method: 'carte' });
    expect(late.body.cashSession).toBe(2);
    const again = (await b.get('/api/staff/cash/2026-03-02/pdf?session=1', { raw: true })).bytes!;
    expect(Buffer.from(again).equals(Buffer.from(pdf1))).toBe(true);
    expect((await b.get('/api/staff/cash/2026-03-02/xlsx?session=1', { raw: true })).bytes!.length).toBe(xlsx1.length);
    expect(await pdfToText(again)).toMatch(/Total de la session 1\s+1\s+15,00 €/);
    const s2 = await b.get<{ session: number; totalCents: number; closure: null; sessions: unknown[] }>('/api/staff/cash/2026-03-02');
    expect([s2.body.session, s2.body.totalCents, s2.body.closure, s2.body.sessions.length]).toEqual([2, 700, null, 2]);
    expect((await b.post<{ closure: { session: number; totalCents: number } }>('/api/staff/cash/2026-03-02/close')).body.closure).toMatchObject({ session: 2, totalCents: 700 });
    expect((await b.get<Err>('/api/staff/cash/2026-03-02?session=abc')).status).toBe(400);
    expect((await b.get<Err>('/api/staff/cash/2026-03-02?session=5')).status).toBe(404);
    const restauration = await signIn('restauration');
    expect((await restauration.get('/api/staff/cash/today')).status).toBe(403);
  });
});
