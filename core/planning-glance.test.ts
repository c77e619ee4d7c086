import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setAlertThreshold } from './alert-threshold.js';
import { loadBookingHorizon, setBookingHorizon } from './booking-horizon.js';
import { previewBatch } from './batch-preview.js';
import { applyBookingChanges, applyTemplateWeek, type BookingChange } from './bookings.js';
import { DomainError } from './errors.js';
import { daysCovered } from './low-balance-view.js';
import { getMonthView } from './month-view.js';
import { getWeekGrid } from './planning.js';
import { createSubscription } from './subscriptions.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';

// Issue 9, glance: the week and the month at a glance, the horizon, the low-balance highlight.
// The fixture's clock: Monday 2 March 2026, 10:00 in Paris; DEVRET pays Cantine 3,20 €, Bus 0,80 €.
let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const credit = (walletId: number, cents: number) =>
  adjustWallet(t.ctx, t.actors.admin, { familyId: t.ids.familyId, walletId, amountCents: cents, reason: 'crédit de test' });
const cell = (childId: number, activityId: number, date: string, action: 'book' | 'cancel' = 'book'): BookingChange => ({ childId, activityId, date, action });
const book = (changes: BookingChange[]) => applyBookingChanges(t.ctx, t.actors.parent, { familyId: t.ids.familyId, changes });
const grid = (weekStart: string) => getWeekGrid(t.ctx, t.actors.parent, { familyId: t.ids.familyId, weekStart });

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe('the week at a glance', () => {
  it('totals each wallet at the amounts the ledger really charged for the week', async () => {
    const { ids } = t;
    await credit(ids.walletRestaurationId, 5000);
    await credit(ids.walletTransportId, 1000);
    await book([
      cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09'), cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-10'),
      cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-12'), cell(ids.childLouisId, ids.activityIds.cantine, '2026-03-09'),
      cell(ids.childJuliaId, ids.activityIds.bus, '2026-03-10'), cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-16'),
    ]);
    await book([cell(ids.childLouisId, ids.activityIds.cantine, '2026-03-09', 'cancel')]);
    // A price change after booking does not change what was charged.
    await t.db('tariffs').where('activity_id', ids.activityIds.cantine).update({ price_cents: 999 });

    const g = await grid('2026-03-09');
    expect(g.glance.weekTotals).toEqual([
      { walletId: ids.walletRestaurationId, walletLabel: 'Restauration scolaire', bookings: 3, bookedDays: 3, chargedCents: 960 },
      { walletId: ids.walletTransportId, walletLabel: 'Transport', bookings: 1, bookedDays: 1, chargedCents: 80 },
    ]);
    const ledger: Array<{ wallet_id: number; total: number }> = await t.db('ledger_entries')
      .whereBetween('service_date', ['2026-03-09', '2026-03-15'])
      .groupBy('wallet_id').select('wallet_id').sum({ total: 'amount_cents' });
    for (const w of g.glance.weekTotals) expect(-Number(ledger.find((l) => l.wallet_id === w.walletId)?.total)).toBe(w.chargedCents);
    expect((await grid('2026-03-23')).glance.weekTotals).toEqual([]);
  });

  it('shows a banner for a holiday week and for a closure, and the closed cell says why', async () => {
    const { ids } = t;
    const noel = await grid('2026-12-21');
    expect(noel.glance.banners.map((b) => b.text)).toEqual(['Vacances de Noël : du 20 décembre au 3 janvier', 'Jour férié le vendredi 25 décembre : Noël']);
    expect(noel.children[0]!.periods[0]!.rows[1]!.cells[0]).toMatchObject({ state: 'closed', reason: 'Vacances de Noël' });

    await t.db('closures').insert({ kind: 'fermeture', label: 'Grève', date_from: '2026-03-12', date_to: '2026-03-12', activity_id: ids.activityIds.cantine, created_at: 'x' });
    await t.db('closures').insert({ kind: 'mairie', label: 'Pont', date_from: '2026-03-13', date_to: '2026-03-13', created_at: 'x' });
    const week = await grid('2026-03-09');
    expect(week.glance.banners.map((b) => [b.kind, b.text])).toEqual([
      ['fermeture', 'Cantine fermée le jeudi 12 mars : grève'],
      ['fermeture', 'Fermé le vendredi 13 mars : pont'],
    ]);
    const cantine = week.children[0]!.periods[0]!.rows.find((r) => r.activityId === ids.activityIds.cantine)!;
    expect(cantine.cells[3]).toMatchObject({ state: 'closed', reason: 'fermé : grève' });
    expect((await grid('2026-03-02')).glance.banners).toEqual([]);
  });

  it('says the next deadlines in words, per activity, nearest first', async () => {
    const { ids } = t;
    t.clock.set('2026-03-02T08:00:00Z'); // Monday 9:00 in Paris
    const texts = async () => (await grid('2026-03-02')).glance.nextDeadlines.map((d) => d.text);
    expect(await texts()).toEqual([
      'Bus : réservez aujourd’hui avant 12 h pour demain',
      'Garderie matin : réservez aujourd’hui avant 18 h pour demain',
      'Garderie soir : réservez aujourd’hui avant 18 h pour demain',
      'Cantine : réservez avant demain 10 h pour jeudi',
    ]);
    // Every child booked at the Garderie matin on Tuesday: its next deadline is Thursday's.
    await credit(ids.walletPeriscolaireId, 1000);
    await book([ids.childJuliaId, ids.childLouisId, ids.childMargotId].map((c) => cell(c, ids.activityIds.garderieMatin, '2026-03-03')));
    expect((await texts()).find((x) => x.startsWith('Garderie matin'))).toBe('Garderie matin : réservez avant mercredi 18 h pour jeudi');
    t.clock.set('2026-03-06T10:00:00Z'); // Friday 11:00: cantine of Tuesday 10 closes on Friday 10:00, next is Thursday 12
    expect((await texts()).find((x) => x.startsWith('Cantine'))).toBe('Cantine : réservez avant mardi 10 h pour jeudi');
  });

  it('costs a constant number of queries with the glance', async () => {
    await grid('2026-03-02'); // what every family shares, read once (core/planning-reference.ts)
    let queries = 0;
    t.db.on('query', () => queries++);
    await grid('2026-03-09');
    const first = queries;
    queries = 0;
    await getWeekGrid(t.ctx, t.actors.parent, { familyId: t.ids.familyId, weekStart: '2026-03-09', childId: t.ids.childJuliaId });
    expect(queries).toBe(first);
  });
});

describe('the booking horizon', () => {
  it('defaults to the end of the school year: later days are locked and refused, even with a dérogation', async () => {
    const { ids } = t;
    await credit(ids.walletRestaurationId, 5000);
    const { horizon } = await loadBookingHorizon(t.db, t.clock.now());
    expect(horizon).toEqual({ lastDay: '2026-07-04', mode: 'school_year', text: 'Réservations ouvertes jusqu’au 4 juillet 2026' });
    const september = await grid('2026-09-07');
    const cantine = september.children[0]!.periods[0]!.rows.find((r) => r.activityId === ids.activityIds.cantine)!;
    expect(cantine.cells[0]).toMatchObject({ state: 'locked', reason: 'au-delà du 4 juillet : réservations pas encore ouvertes' });
    expect(september.glance.horizon.lastDay).toBe('2026-07-04');

    const r = await book([cell(ids.childJuliaId, ids.activityIds.cantine, '2026-09-07')]);
    expect(r.results[0]).toMatchObject({ outcome: 'refused', state: 'locked', message: 'au-delà du 4 juillet : réservations pas encore ouvertes' });
    const forced = await applyBookingChanges(t.ctx, t.actors.secretariat, {
      familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2030-03-04')], override: true, overrideReason: 'Demande de la famille',
    });
    expect(forced.results[0]?.outcome).toBe('refused');
    expect(await t.db('bookings').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('is set by the admin only, audited, and stops the semaine type and the abonnements', async () => {
    const { ids } = t;
    await credit(ids.walletRestaurationId, 10_000);
    expect((await refusal(setBookingHorizon(t.ctx, t.actors.secretariat, { mode: 'date', date: '2026-03-20' }))).code).toBe('FORBIDDEN');
    expect((await refusal(setBookingHorizon(t.ctx, t.actors.admin, { mode: 'date', date: '2026-02-01' }))).details).toMatchObject({ field: 'date' });
    expect((await refusal(setBookingHorizon(t.ctx, t.actors.admin, { mode: 'days', days: 5000 }))).message).toBe('Horizon : au plus 730 jours.');
    const days = await setBookingHorizon(t.ctx, t.actors.admin, { mode: 'days', days: 30 });
    expect(days.horizon.lastDay).toBe('2026-04-01');
    const set = await setBookingHorizon(t.ctx, t.actors.admin, { mode: 'date', date: '2026-03-20' });
    expect(set.horizon).toMatchObject({ lastDay: '2026-03-20', mode: 'date' });
    const trace = await t.db('audit_log').where('action', 'settings.booking_horizon').orderBy('id', 'desc').first();
    expect(JSON.parse(trace.after_json)).toMatchObject({ mode: 'date', date: '2026-03-20', lastDay: '2026-03-20' });

    const cells = (await grid('2026-03-16')).children[0]!.periods[0]!.rows.find((r) => r.activityId === ids.activityIds.cantine)!.cells;
    expect(cells.map((c) => c.state)).toEqual(['open', 'open', 'closed', 'open', 'open', 'closed', 'closed']);
    expect((await grid('2026-03-23')).children[0]!.periods[0]!.rows[1]!.cells[0]?.reason).toBe('au-delà du 20 mars : réservations pas encore ouvertes');

    // The preview says it before: the same words, the same last day.
    const preview = await previewBatch(t.ctx, t.actors.parent, ids.familyId, {
      kind: 'template', childId: ids.childJuliaId, from: '2026-03-09', to: '2026-06-30', pattern: [{ activityId: ids.activityIds.cantine, weekdays: [1, 2, 4, 5] }],
    });
    expect(preview.notice).toBe('La semaine type s’arrête au 20 mars 2026 : au-delà, les réservations ne sont pas encore ouvertes.');
    const template = await applyTemplateWeek(t.ctx, t.actors.parent, {
      familyId: ids.familyId, childId: ids.childJuliaId, from: '2026-03-09', to: '2026-06-30', pattern: [{ activityId: ids.activityIds.cantine, weekdays: [1, 2, 4, 5] }],
    });
    expect(template.notice).toBe('La semaine type s’arrête au 20 mars 2026 : au-delà, les réservations ne sont pas encore ouvertes.');
    expect(template.results.map((r) => r.date).at(-1)).toBe('2026-03-20');
    const sub = await createSubscription(t.ctx, t.actors.parent, {
      familyId: ids.familyId, childId: ids.childLouisId, activityId: ids.activityIds.cantine, weekdays: [1], from: '2026-03-09', to: '2026-06-30',
    });
    expect(sub.subscription.to).toBe('2026-03-20');
    expect(sub.batch.notice).toBe('L’abonnement s’arrête au 20 mars 2026 : au-delà, les réservations ne sont pas encore ouvertes.');
    const late = await refusal(createSubscription(t.ctx, t.actors.parent, {
      familyId: ids.familyId, childId: ids.childLouisId, activityId: ids.activityIds.cantine, weekdays: [2], from: '2026-04-07', to: '2026-06-30',
    }));
    expect(late.message).toBe('Abonnement : au-delà du 20 mars : réservations pas encore ouvertes.');
  });
});

describe('low balance where the parent looks', () => {
  it('computes the days a balance still covers', () => {
    expect(daysCovered(1000, { cents: 640, days: 2 })).toBe(3);
    expect(daysCovered(319, { cents: 320, days: 1 })).toBe(0);
    expect(daysCovered(-50, { cents: 320, days: 1 })).toBe(0);
    expect(daysCovered(1000, undefined)).toBeNull();
    expect(daysCovered(1000, { cents: 0, days: 3 })).toBeNull();
  });

  it('highlights a wallet under the family threshold with the days it covers, and the parent moves the threshold', async () => {
    const { ids } = t;
    await credit(ids.walletRestaurationId, 2000);
    await book([
      cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09'), cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-10'),
      cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-12'), cell(ids.childLouisId, ids.activityIds.cantine, '2026-03-12'),
    ]);
    // 720 left; 1 280 over 3 booked days: a day costs about 4,27 €, so about 1 day.
    const resto = (await grid('2026-03-09')).balances.find((b) => b.walletId === ids.walletRestaurationId)!;
    expect(resto).toMatchObject({ balanceCents: 720, thresholdCents: 1000, low: true, daysCovered: 1 });
    const bus = (await grid('2026-03-09')).balances.find((b) => b.walletId === ids.walletTransportId)!;
    expect(bus).toMatchObject({ balanceCents: 0, low: false, daysCovered: null });

    await setAlertThreshold(t.ctx, t.actors.parent, { familyId: ids.familyId, body: { threshold: '5,50' } });
    const after = (await grid('2026-03-09')).balances.find((b) => b.walletId === ids.walletRestaurationId)!;
    expect(after).toMatchObject({ thresholdCents: 550, low: false });
    expect((await refusal(setAlertThreshold(t.ctx, t.actors.otherParent, { familyId: ids.familyId, body: { threshold: '1' } }))).code).toBe('NOT_FOUND');
    expect((await refusal(setAlertThreshold(t.ctx, t.actors.secretariat, { familyId: ids.familyId, body: { threshold: '1' } }))).code).toBe('FORBIDDEN');
    const trace = await t.db('audit_log').where('action', 'family.alert_threshold').first();
    expect(trace).toMatchObject({ family_id: ids.familyId, action: 'family.alert_threshold' });
    expect(trace.note.replace(/\s/gu, ' ')).toBe('Seuil d’alerte : 10,00 € → 5,50 €');
  });
});

describe('Mon mois', () => {
  it('lists each day with what each booking cost, totals per wallet and per child', async () => {
    const { ids } = t;
    await credit(ids.walletRestaurationId, 5000);
    await credit(ids.walletTransportId, 1000);
    await book([
      cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09'), cell(ids.childLouisId, ids.activityIds.cantine, '2026-03-09'),
      cell(ids.childJuliaId, ids.activityIds.bus, '2026-03-09'), cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-31'),
      cell(ids.childJuliaId, ids.activityIds.cantine, '2026-04-02'),
    ]);
    const m = await getMonthView(t.ctx, t.actors.parent, { familyId: ids.familyId, month: '2026-03' });
    expect(m).toMatchObject({ month: '2026-03', label: 'mars 2026', previousMonth: '2026-02', nextMonth: '2026-04', totalCents: 1040 });
    expect(m.days.map((d) => [d.label, d.totalCents, d.bookings.map((b) => `${b.childFirstName} ${b.activityName} ${b.chargedCents}`)])).toEqual([
      ['lundi 9 mars', 720, ['Julia Cantine 320', 'Julia Bus 80', 'Louis Cantine 320']],
      ['mardi 31 mars', 320, ['Julia Cantine 320']],
    ]);
    expect(m.walletTotals.map((w) => [w.walletLabel, w.bookings, w.chargedCents])).toEqual([['Restauration scolaire', 3, 960], ['Transport', 1, 80]]);
    expect(m.childTotals.map((c) => [c.firstName, c.bookings, c.chargedCents])).toEqual([['Julia', 3, 720], ['Louis', 1, 320]]);
    expect((await getMonthView(t.ctx, t.actors.parent, { familyId: ids.familyId, month: '2026-12' })).nextMonth).toBe('2027-01');
    expect((await refusal(getMonthView(t.ctx, t.actors.otherParent, { familyId: ids.familyId, month: '2026-03' }))).code).toBe('NOT_FOUND');
    expect((await refusal(getMonthView(t.ctx, t.actors.parent, { familyId: ids.familyId, month: '2026-13' }))).code).toBe('VALIDATION');
  });
});
