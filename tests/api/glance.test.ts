import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertThresholdResponse, BookingHorizonAdminView, MonthResponse, WeekGridResponse } from '../../api/parent.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { adjustWallet } from '../../core/wallet.js';
import { Browser, setPasswords, signedInStaff, startHarness, type Harness } from './harness.js';

// Issue 9, glance, over HTTP: "Mon mois", the alert threshold and the booking horizon.
// The clock is Monday 2 March 2026, 10:00 in Paris.

let t: TestDb;
let h: Harness;
let devret: Browser;
let martin: Browser;

beforeEach(async () => {
  t = await createTestDb();
  await setPasswords(t.db);
  h = await startHarness({ db: t.db, clock: t.clock });
  devret = new Browser(h.url);
  martin = new Browser(h.url);
  expect((await devret.loginParent('chantal.devret')).status).toBe(200);
  expect((await martin.loginParent('paul.martin')).status).toBe(200);
});
afterEach(async () => {
  await h.close();
});

type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };
const threshold = async () => (await t.db('families').where('id', t.ids.familyId).first('low_balance_threshold_cents')).low_balance_threshold_cents as number;

describe('Mon mois', () => {
  it('answers the month of the signed-in family only, with the charged amounts', async () => {
    await adjustWallet(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 2000, reason: 'Crédit de test' });
    await adjustWallet(t.ctx, t.actors.secretariat, { familyId: t.ids.otherFamilyId, walletId: t.ids.walletRestaurationId, amountCents: 2000, reason: 'Crédit de test' });
    const changes = (childId: number) => ({ changes: [{ childId, activityId: t.ids.activityIds.cantine, date: '2026-03-09', action: 'book' }] });
    expect((await devret.post('/api/parent/planning/changes', changes(t.ids.childJuliaId))).status).toBe(200);
    expect((await martin.post('/api/parent/planning/changes', changes(t.ids.otherChildId))).status).toBe(200);

    const mine = await devret.get<MonthResponse>('/api/parent/month?month=2026-03');
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ month: '2026-03', label: 'mars 2026', totalCents: 320, previousMonth: '2026-02', nextMonth: '2026-04' });
    expect(mine.body.days.flatMap((d) => d.bookings.map((b) => b.childFirstName))).toEqual(['Julia']);
    // MARTIN has no QF: the highest bracket, 3,90 €; a family id in the query is ignored.
    const theirs = await martin.get<MonthResponse>(`/api/parent/month?month=2026-03&familyId=${t.ids.familyId}`);
    expect(theirs.body.days.flatMap((d) => d.bookings.map((b) => [b.childFirstName, b.chargedCents]))).toEqual([['Léo', 390]]);
    expect((await devret.get<MonthResponse>('/api/parent/month')).body.month).toBe('2026-03');

    for (const bad of ['2026-13', 'mars', '2026-3', "2026-03'--"]) {
      const r = await devret.get<Err>(`/api/parent/month?month=${encodeURIComponent(bad)}`);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/mois|AAAA-MM/i);
    }
    expect((await new Browser(h.url).get('/api/parent/month')).status).toBe(401);
  });
});

describe('the alert threshold', () => {
  it('is set by the parent in French amounts, audited, and used by the week grid and the next alert mail', async () => {
    const r = await devret.put<AlertThresholdResponse>('/api/parent/alert-threshold', { threshold: '15,50' });
    expect(r).toMatchObject({ status: 200, body: { thresholdCents: 1550 } });
    expect(await threshold()).toBe(1550);
    expect((await t.db('audit_log').where({ action: 'family.alert_threshold', family_id: t.ids.familyId })).length).toBe(1);
    const grid = await devret.get<WeekGridResponse>('/api/parent/planning?week=2026-03-09');
    expect(grid.body.balances.every((b) => b.thresholdCents === 1550)).toBe(true);
    expect((await devret.get<WeekGridResponse>('/api/parent/planning/glance?week=2026-03-09')).body.balances[0]?.thresholdCents).toBe(1550);

    // The alert mail uses it: a debit that takes the balance under 15,50 € records the alert (and queues the mail to the family's addresses).
    await adjustWallet(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 1800, reason: 'Crédit de test' });
    expect(await t.db('low_balance_alerts').where({ family_id: t.ids.familyId, wallet_id: t.ids.walletRestaurationId }).first()).toBeUndefined();
    await devret.post('/api/parent/planning/changes', { changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: '2026-03-09', action: 'book' }] });
    expect(await t.db('low_balance_alerts').where({ family_id: t.ids.familyId, wallet_id: t.ids.walletRestaurationId }).first()).toBeDefined();
    const after = await devret.get<WeekGridResponse>('/api/parent/planning?week=2026-03-09');
    expect(after.body.balances.find((b) => b.walletId === t.ids.walletRestaurationId)).toMatchObject({ balanceCents: 1480, low: true, daysCovered: 4 });
    expect(after.body.glance.weekTotals).toMatchObject([{ walletId: t.ids.walletRestaurationId, bookings: 1, chargedCents: 320 }]);
  });

  it('refuses hostile or out-of-range values with a French message next to the field, and changes nothing', async () => {
    for (const bad of ['200,01', '-5', '12,345', 'douze', '', '1e3', 'NaN', null, true, { a: 1 }, ['5'], 'x'.repeat(5000), 1e308]) {
      const r = await devret.put<Err>('/api/parent/alert-threshold', { threshold: bad });
      expect(r.status, String(bad)).toBe(400);
      expect(r.body.error.message).toMatch(/^Seuil d’alerte/);
      expect(r.body.error.details).toMatchObject({ field: 'threshold' });
    }
    expect((await devret.put<Err>('/api/parent/alert-threshold', 'pas du json')).status).toBe(400);
    expect(await threshold()).toBe(1000);
    expect((await devret.put<AlertThresholdResponse>('/api/parent/alert-threshold', { threshold: '200' })).body.thresholdCents).toBe(20_000);
    expect((await devret.put<AlertThresholdResponse>('/api/parent/alert-threshold', { threshold: '0' })).body.thresholdCents).toBe(0);
    // Another family's threshold cannot be reached: the family is the session's.
    await martin.put('/api/parent/alert-threshold', { threshold: '3', familyId: t.ids.familyId });
    expect(await threshold()).toBe(0);
    expect((await devret.put('/api/parent/alert-threshold', { threshold: '5' }, { csrf: false })).status).toBe(403);
  });
});

describe('the booking horizon', () => {
  it('is read by the desk, set by the admin only, and refuses bookings beyond it', async () => {
    const secretariat = await signedInStaff(h, 'secretariat');
    const admin = await signedInStaff(h, 'admin');
    const read = await secretariat.get<BookingHorizonAdminView>('/api/staff/booking-horizon');
    expect(read.body).toMatchObject({ setting: { mode: 'school_year' }, horizon: { lastDay: '2026-07-04' } });
    expect((await secretariat.put('/api/staff/booking-horizon', { mode: 'date', date: '2026-04-30' })).status).toBe(403);
    expect((await devret.get('/api/staff/booking-horizon')).status).toBe(403);
    for (const bad of [{ mode: 'date', date: '2030-02-30' }, { mode: 'days', days: 'beaucoup' }, { mode: 'eternity' }, {}]) {
      const r = await admin.put<Err>('/api/staff/booking-horizon', bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.message).toMatch(/[Hh]orizon|[Dd]ate/);
    }
    const set = await admin.put<BookingHorizonAdminView>('/api/staff/booking-horizon', { mode: 'date', date: '2026-04-23' });
    expect(set.body.horizon).toMatchObject({ lastDay: '2026-04-23', text: 'Réservations ouvertes jusqu’au 23 avril 2026' });

    await adjustWallet(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 2000, reason: 'Crédit de test' });
    const r = await devret.post<{ results: Array<{ outcome: string; message?: string }> }>('/api/parent/planning/changes', {
      changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: '2026-04-24', action: 'book' }],
    });
    expect(r.body.results[0]).toMatchObject({ outcome: 'refused', message: 'au-delà du 23 avril : réservations pas encore ouvertes' });
    const grid = await devret.get<WeekGridResponse>('/api/parent/planning?week=2026-04-20');
    expect(grid.body.glance.horizon.lastDay).toBe('2026-04-23');
    expect(grid.body.children[0]!.periods[0]!.rows[1]!.cells.map((c) => c.state)).toEqual(['open', 'open', 'closed', 'open', 'locked', 'closed', 'closed']);
  });
});
