import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBookingChanges, applyTemplateWeek, bookAllActivitiesOfDay, bookWholeWeek, type BookingChange } from './bookings.js';
import { DomainError } from './errors.js';
import { createSubscription, endSubscription, listSubscriptions } from './subscriptions.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet, getBalance } from './wallet.js';

// The fixture's clock: Monday 2 March 2026, 10:00 in Paris. DEVRET pays Cantine 3,20 €,
// Garderie matin 1,50 €, Garderie soir 2,00 €, Bus 0,80 €.
let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const credit = (walletId: number, cents: number, familyId = t.ids.familyId) =>
  adjustWallet(t.ctx, t.actors.admin, { familyId, walletId, amountCents: cents, reason: 'crédit de test' });
const cell = (childId: number, activityId: number, date: string, action: 'book' | 'cancel' = 'book'): BookingChange => ({ childId, activityId, date, action });
const ledgerCount = async (): Promise<number> => Number((await t.db('ledger_entries').count({ n: '*' }).first())?.n);
const bookedDates = async (childId: number, activityId: number): Promise<string[]> =>
  (await t.db('bookings').where({ child_id: childId, activity_id: activityId, status: 'booked' }).orderBy('date').select('date')).map((r) => r.date as string);

async function expectDomainError(p: Promise<unknown>, code: string): Promise<DomainError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  return err as DomainError;
}

describe('one cell', () => {
  it('books with a debit at the family tariff and cancels with the same refund', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 1000);
    const booked = await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] });
    expect(booked.results).toEqual([{ ...cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09'), outcome: 'done', state: 'booked' }]);
    expect(booked.balances.find((b) => b.walletId === ids.walletRestaurationId)?.balanceCents).toBe(680);
    const debit = await t.db('ledger_entries').where('kind', 'booking_debit').first();
    expect(debit).toMatchObject({ amount_cents: -320, child_id: ids.childJuliaId, activity_id: ids.activityIds.cantine, service_date: '2026-03-09' });
    expect(debit.label).toBe('Cantine — Julia — lundi 09/03');
    const booking = await t.db('bookings').where('id', debit.booking_id).first();
    expect(booking).toMatchObject({ status: 'booked', price_cents: 320, source: 'parent' });

    const again = await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] });
    expect(again.results[0]?.outcome).toBe('unchanged');

    const cancelled = await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09', 'cancel')] });
    expect(cancelled.results[0]).toMatchObject({ outcome: 'done', state: 'open' });
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(1000);
    expect(await t.db('ledger_entries').where('kind', 'cancellation_refund').first()).toMatchObject({ amount_cents: 320, booking_id: debit.booking_id });

    // Booking again reuses the row (one per child, activity and day) and debits again.
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] });
    expect(await t.db('bookings').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(680);
  });

  it('prices by quotient familial; no QF pays the highest bracket', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 1000, ids.otherFamilyId);
    const r = await applyBookingChanges(ctx, actors.otherParent, { familyId: ids.otherFamilyId, changes: [cell(ids.otherChildId, ids.activityIds.cantine, '2026-03-09')] });
    expect(r.balances.find((b) => b.walletId === ids.walletRestaurationId)?.balanceCents).toBe(610);
  });

  it('refuses a cell past its deadline or closed, with the reason, and writes nothing for it', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 5000);
    const before = await ledgerCount();
    const r = await applyBookingChanges(ctx, actors.parent, {
      familyId: ids.familyId,
      changes: [
        cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-03'), // deadline Friday 27/02 10:00
        cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-11'), // Wednesday: not served
        cell(ids.childJuliaId, ids.activityIds.cantine, '2026-04-07'), // spring holidays
      ],
    });
    expect(r.results.map((x) => [x.outcome, x.state, x.message])).toEqual([
      ['refused', 'locked', 'réservation close depuis vendredi 10 h'],
      ['refused', 'closed', 'pas d\'activité le mercredi'],
      ['refused', 'closed', 'Vacances de printemps'],
    ]);
    expect(await ledgerCount()).toBe(before);
    expect(await t.db('bookings').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('refuses cancelling after the cancel deadline, and the day stays charged', async () => {
    const { ids, actors, ctx, clock } = t;
    await credit(ids.walletRestaurationId, 1000);
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] });
    clock.set('2026-03-05T08:59:00Z'); // Thursday 09:59 Paris: still cancellable
    const ok = await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09', 'cancel')] });
    expect(ok.results[0]?.outcome).toBe('done');
    clock.set('2026-03-02T09:00:00Z');
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] });
    clock.set('2026-03-05T09:00:00Z'); // Thursday 10:00 Paris: too late
    const late = await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09', 'cancel')] });
    expect(late.results[0]).toMatchObject({ outcome: 'refused', state: 'booked_locked', message: 'annulation close depuis 10 h' });
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(680);
  });

  it('refunds a booked day that a closure added later made closed', async () => {
    const { ids, actors, ctx, clock } = t;
    await credit(ids.walletRestaurationId, 1000);
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] });
    await t.db('closures').insert({ kind: 'fermeture', label: 'Grève', date_from: '2026-03-09', date_to: '2026-03-09', activity_id: ids.activityIds.cantine, created_at: 'x' });
    clock.set('2026-03-09T10:00:00Z');
    const r = await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09', 'cancel')] });
    expect(r.results[0]).toMatchObject({ outcome: 'done', state: 'closed' });
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(1000);
  });
});

describe('wallet policy on a batch', () => {
  it('writes nothing when the batch total exceeds the balance, and says how much is missing', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 700);
    const before = await ledgerCount();
    const err = await expectDomainError(
      applyBookingChanges(ctx, actors.parent, {
        familyId: ids.familyId,
        changes: [
          cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09'),
          cell(ids.childLouisId, ids.activityIds.cantine, '2026-03-09'),
          cell(ids.childMargotId, ids.activityIds.cantine, '2026-03-09'),
        ],
      }),
      'INSUFFICIENT_BALANCE',
    );
    expect(err.message).toMatch(/^Solde insuffisant : il manque 2,60\s€/);
    expect(err.details).toMatchObject({ missingCents: 260, walletId: ids.walletRestaurationId });
    expect(await ledgerCount()).toBe(before);
    expect(await t.db('bookings').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(700);
  });

  it('lets a wallet with an overdraft limit go negative down to the limit', async () => {
    const { ids, actors, ctx } = t; // Garderie: overdraft up to 10,00 €
    const six = [ids.childJuliaId, ids.childLouisId, ids.childMargotId].flatMap((c) => [
      cell(c, ids.activityIds.garderieMatin, '2026-03-09'), cell(c, ids.activityIds.garderieMatin, '2026-03-10'),
    ]);
    const r = await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: six });
    expect(r.results.every((x) => x.outcome === 'done')).toBe(true);
    expect(await getBalance(t.db, ids.familyId, ids.walletPeriscolaireId)).toBe(-900);
    const err = await expectDomainError(
      applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.garderieMatin, '2026-03-12')] }),
      'INSUFFICIENT_BALANCE',
    );
    expect(err.details).toMatchObject({ missingCents: 50 });
  });

  it('checks the net of the batch: a cancellation pays for a booking in the same batch', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 320);
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] });
    const r = await applyBookingChanges(ctx, actors.parent, {
      familyId: ids.familyId,
      changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09', 'cancel'), cell(ids.childLouisId, ids.activityIds.cantine, '2026-03-09')],
    });
    expect(r.results.map((x) => x.outcome)).toEqual(['done', 'done']);
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(0);
  });
});

describe('permissions and staff override', () => {
  it('keeps parents to their own family and children to theirs', async () => {
    const { ids, actors, ctx } = t;
    await expectDomainError(applyBookingChanges(ctx, actors.otherParent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] }), 'NOT_FOUND');
    await expectDomainError(applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.otherChildId, ids.activityIds.cantine, '2026-03-09')] }), 'NOT_FOUND');
    await expectDomainError(applyBookingChanges(ctx, actors.restauration, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] }), 'FORBIDDEN');
    await expectDomainError(applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')], override: true, overrideReason: 'Oubli signalé par la famille' }), 'FORBIDDEN');
    await expectDomainError(applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-02-30')] }), 'VALIDATION');
    await expectDomainError(applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [] }), 'VALIDATION');
  });

  it('lets staff book and cancel past the deadline with an override, audited per cell', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 1000);
    const plain = await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.familyId, changes: [cell(ids.childLouisId, ids.activityIds.cantine, '2026-03-03')] });
    expect(plain.results[0]?.outcome).toBe('refused');
    const forced = await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.familyId, changes: [cell(ids.childLouisId, ids.activityIds.cantine, '2026-03-03')], override: true, overrideReason: 'Oubli signalé par la famille' });
    expect(forced.results[0]).toMatchObject({ outcome: 'done', state: 'booked_locked' });
    const booking = await t.db('bookings').where({ child_id: ids.childLouisId, date: '2026-03-03' }).first();
    expect(booking).toMatchObject({ status: 'booked', source: 'staff', staff_user_id: ids.staffSecretariatId });
    expect(Boolean(booking.override)).toBe(true);
    const auditRow = await t.db('audit_log').where('action', 'booking.override').first();
    expect(auditRow).toMatchObject({ actor_kind: 'staff', staff_user_id: ids.staffSecretariatId, entity: 'booking', entity_id: String(booking.id), family_id: ids.familyId });
    expect(JSON.parse(auditRow.before_json)).toMatchObject({ status: null, state: 'locked' });
    expect(JSON.parse(auditRow.after_json)).toMatchObject({ status: 'booked', amountCents: -320 });

    const undo = await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.familyId, changes: [cell(ids.childLouisId, ids.activityIds.cantine, '2026-03-03', 'cancel')], override: true, overrideReason: 'Oubli signalé par la famille' });
    expect(undo.results[0]).toMatchObject({ outcome: 'done', state: 'locked' });
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(1000);
    expect(await t.db('audit_log').where('action', 'booking.override').count({ n: '*' }).first()).toMatchObject({ n: 2 });

    // Never on a closed day.
    const closed = await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.familyId, changes: [cell(ids.childLouisId, ids.activityIds.cantine, '2026-04-07')], override: true, overrideReason: 'Oubli signalé par la famille' });
    expect(closed.results[0]).toMatchObject({ outcome: 'refused', state: 'closed' });
  });

  it('audits staff bookings made within the deadlines', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 1000);
    await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-09')] });
    const row = await t.db('audit_log').where('action', 'booking.batch').first();
    expect(JSON.parse(row.after_json)).toEqual([{ childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: '2026-03-09', action: 'book', amountCents: -320 }]);
  });
});

describe('capacity', () => {
  it('refuses beyond capacity within one batch and across families, even with an override', async () => {
    const { ids, actors, ctx } = t; // Bus: capacity 2
    await credit(ids.walletTransportId, 1000);
    await credit(ids.walletTransportId, 1000, ids.otherFamilyId);
    const r = await applyBookingChanges(ctx, actors.parent, {
      familyId: ids.familyId,
      changes: [cell(ids.childJuliaId, ids.activityIds.bus, '2026-03-10'), cell(ids.childLouisId, ids.activityIds.bus, '2026-03-10'), cell(ids.childMargotId, ids.activityIds.bus, '2026-03-10')],
    });
    expect(r.results.map((x) => [x.outcome, x.message])).toEqual([['done', undefined], ['done', undefined], ['refused', 'complet']]);
    const other = await applyBookingChanges(ctx, actors.otherParent, { familyId: ids.otherFamilyId, changes: [cell(ids.otherChildId, ids.activityIds.bus, '2026-03-10')] });
    expect(other.results[0]).toMatchObject({ outcome: 'refused', state: 'locked', message: 'complet' });
    const forced = await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.otherFamilyId, changes: [cell(ids.otherChildId, ids.activityIds.bus, '2026-03-10')], override: true, overrideReason: 'Oubli signalé par la famille' });
    expect(forced.results[0]?.outcome).toBe('refused');
    // A cancellation frees the seat.
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childLouisId, ids.activityIds.bus, '2026-03-10', 'cancel')] });
    const now = await applyBookingChanges(ctx, actors.otherParent, { familyId: ids.otherFamilyId, changes: [cell(ids.otherChildId, ids.activityIds.bus, '2026-03-10')] });
    expect(now.results[0]?.outcome).toBe('done');
    expect(await t.db('bookings').where({ activity_id: ids.activityIds.bus, date: '2026-03-10', status: 'booked' }).count({ n: '*' }).first()).toMatchObject({ n: 2 });
  });
});

describe('batch helpers', () => {
  it('"toute la semaine" books and cancels the served days of one activity', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 2000);
    const r = await bookWholeWeek(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childJuliaId, activityId: ids.activityIds.cantine, weekStart: '2026-03-11', action: 'book' });
    expect(r.results.map((x) => [x.date, x.outcome])).toEqual([['2026-03-09', 'done'], ['2026-03-10', 'done'], ['2026-03-12', 'done'], ['2026-03-13', 'done']]);
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(2000 - 4 * 320);
    await bookWholeWeek(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childJuliaId, activityId: ids.activityIds.cantine, weekStart: '2026-03-09', action: 'cancel' });
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(2000);
    expect(await bookedDates(ids.childJuliaId, ids.activityIds.cantine)).toEqual([]);
  });

  it('"toute la semaine" skips closed days quietly and all-or-nothing holds', async () => {
    const { ids, actors, ctx, clock } = t;
    clock.set('2026-05-04T08:00:00Z');
    await credit(ids.walletRestaurationId, 640);
    const r = await bookWholeWeek(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childJuliaId, activityId: ids.activityIds.cantine, weekStart: '2026-05-11', action: 'book' });
    expect(r.results.map((x) => [x.date, x.outcome, x.message])).toEqual([
      ['2026-05-11', 'done', undefined], ['2026-05-12', 'done', undefined],
      ['2026-05-14', 'unchanged', 'Ascension'], ['2026-05-15', 'unchanged', 'Pont de l\'Ascension'],
    ]);
    await expectDomainError(
      bookWholeWeek(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childLouisId, activityId: ids.activityIds.cantine, weekStart: '2026-05-11', action: 'book' }),
      'INSUFFICIENT_BALANCE',
    );
    expect(await bookedDates(ids.childLouisId, ids.activityIds.cantine)).toEqual([]);
  });

  it('"toutes les activités" books every activity served that day', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 1000);
    await credit(ids.walletTransportId, 1000);
    const r = await bookAllActivitiesOfDay(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childMargotId, date: '2026-03-09', action: 'book' });
    expect(r.results.map((x) => x.outcome)).toEqual(['done', 'done', 'done', 'done']);
    const balances = Object.fromEntries(r.balances.map((b) => [b.code, b.balanceCents]));
    expect(balances).toEqual({ restauration: 680, periscolaire: -350, transport: 920 });
    // Wednesday: only the bus runs.
    const wed = await bookAllActivitiesOfDay(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childMargotId, date: '2026-03-11', action: 'book' });
    expect(wed.results.map((x) => x.activityId)).toEqual([ids.activityIds.bus]);
    const undo = await bookAllActivitiesOfDay(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childMargotId, date: '2026-03-09', action: 'cancel' });
    expect(undo.results.every((x) => x.outcome === 'done')).toBe(true);
  });

  it('"semaine type" books the pattern and cancels the other served days over the range', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 5000);
    await applyBookingChanges(ctx, actors.parent, { familyId: ids.familyId, changes: [cell(ids.childJuliaId, ids.activityIds.cantine, '2026-03-10')] });
    const r = await applyTemplateWeek(ctx, actors.parent, {
      familyId: ids.familyId, childId: ids.childJuliaId, from: '2026-03-02', to: '2026-03-22',
      pattern: [{ activityId: ids.activityIds.cantine, weekdays: [1, 4] }, { activityId: ids.activityIds.garderieSoir, weekdays: [2] }],
    });
    // Monday 2 March's Cantine is past its deadline; Tuesday 3's Garderie soir is not (D-1 at 18:00).
    expect(r.results.filter((x) => x.outcome === 'refused').map((x) => [x.date, x.activityId])).toEqual([['2026-03-02', ids.activityIds.cantine]]);
    expect(await bookedDates(ids.childJuliaId, ids.activityIds.cantine)).toEqual(['2026-03-05', '2026-03-09', '2026-03-12', '2026-03-16', '2026-03-19']);
    expect(await bookedDates(ids.childJuliaId, ids.activityIds.garderieSoir)).toEqual(['2026-03-03', '2026-03-10', '2026-03-17']);
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(5000 - 5 * 320);
    await expectDomainError(applyTemplateWeek(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childJuliaId, from: '2026-03-22', to: '2026-03-02', pattern: [{ activityId: ids.activityIds.cantine, weekdays: [1] }] }), 'VALIDATION');
    await expectDomainError(applyTemplateWeek(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childJuliaId, from: '2026-03-02', to: '2026-03-22', pattern: [{ activityId: ids.activityIds.cantine, weekdays: [8] }] }), 'VALIDATION');
  });
});

describe('subscriptions', () => {
  it('books the open days of the period, and ending it cancels the future ones', async () => {
    const { ids, actors, ctx, clock } = t;
    await credit(ids.walletRestaurationId, 5000);
    const { subscription, batch } = await createSubscription(ctx, actors.parent, {
      familyId: ids.familyId, childId: ids.childLouisId, activityId: ids.activityIds.cantine, weekdays: [1, 2], from: '2026-03-01', to: '2026-03-31',
    });
    expect(subscription).toMatchObject({ childFirstName: 'Louis', activityName: 'Cantine', weekdays: [1, 2], from: '2026-03-01', to: '2026-03-31', active: true });
    expect(batch.results.filter((x) => x.outcome === 'refused').map((x) => x.date)).toEqual(['2026-03-02', '2026-03-03']);
    const dates = ['2026-03-09', '2026-03-10', '2026-03-16', '2026-03-17', '2026-03-23', '2026-03-24', '2026-03-30', '2026-03-31'];
    expect(await bookedDates(ids.childLouisId, ids.activityIds.cantine)).toEqual(dates);
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(5000 - 8 * 320);
    expect((await t.db('bookings').where('child_id', ids.childLouisId).first()).source).toBe('subscription');

    clock.set('2026-03-18T09:00:00Z');
    const ended = await endSubscription(ctx, actors.parent, { familyId: ids.familyId, subscriptionId: subscription.id, from: '2026-03-19' });
    expect(ended.subscription).toMatchObject({ to: '2026-03-18', active: false });
    expect(ended.batch.results.map((x) => [x.date, x.outcome])).toEqual([['2026-03-23', 'done'], ['2026-03-24', 'done'], ['2026-03-30', 'done'], ['2026-03-31', 'done']]);
    expect(await bookedDates(ids.childLouisId, ids.activityIds.cantine)).toEqual(dates.slice(0, 4));
    expect(await getBalance(t.db, ids.familyId, ids.walletRestaurationId)).toBe(5000 - 4 * 320);
    await expectDomainError(endSubscription(ctx, actors.parent, { familyId: ids.familyId, subscriptionId: subscription.id, from: '2026-03-19' }), 'CONFLICT');
    expect(await listSubscriptions(ctx, actors.parent, { familyId: ids.familyId })).toHaveLength(1);
    await expectDomainError(listSubscriptions(ctx, actors.otherParent, { familyId: ids.familyId }), 'NOT_FOUND');
  });

  it('leaves neither the subscription nor any booking when the balance is short', async () => {
    const { ids, actors, ctx } = t;
    await credit(ids.walletRestaurationId, 1000);
    await expectDomainError(
      createSubscription(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childLouisId, activityId: ids.activityIds.cantine, weekdays: [1, 2, 4, 5], from: '2026-03-09', to: '2026-03-31' }),
      'INSUFFICIENT_BALANCE',
    );
    expect(await t.db('subscriptions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(await t.db('bookings').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    await expectDomainError(
      createSubscription(ctx, actors.parent, { familyId: ids.familyId, childId: ids.childLouisId, activityId: ids.activityIds.cantine, weekdays: [3], from: '2026-03-09', to: '2026-03-31' }),
      'VALIDATION',
    );
  });
});
