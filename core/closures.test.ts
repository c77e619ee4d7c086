import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClosure, deleteClosure, previewClosure, updateClosure } from './activities-admin.js';
import { recordAttendance } from './attendance.js';
import { applyBookingChanges, type BookingChange } from './bookings.js';
import type { DomainError } from './errors.js';
import { mealCounts } from './exports.js';
import { getMealList } from './meals.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet, getBalance } from './wallet.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb(); // Monday 2 March 2026, 10:00 Paris
  for (const familyId of [t.ids.familyId, t.ids.otherFamilyId]) {
    for (const walletId of [t.ids.walletRestaurationId, t.ids.walletPeriscolaireId]) {
      await adjustWallet(t.ctx, t.actors.admin, { familyId, walletId, amountCents: 10_000, reason: 'crédit de test' });
    }
  }
  // DEVRET has a billing address; MARTIN has none.
  await t.db('contacts').insert({
    family_id: t.ids.familyId, relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', email: 'chantal@exemple.fr',
    use_for_billing: true, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
  });
});
afterEach(async () => {
  await t.db.destroy();
});

async function book(familyId: number, cells: Array<[childId: number, activityId: number, date: string]>, override = false): Promise<void> {
  const changes: BookingChange[] = cells.map(([childId, activityId, date]) => ({ childId, activityId, date, action: 'book' }));
  const actor = override ? t.actors.secretariat : familyId === t.ids.familyId ? t.actors.parent : t.actors.otherParent;
  const r = await applyBookingChanges(t.ctx, actor, { familyId, changes, override });
  expect(r.results.every((x) => x.outcome === 'done'), JSON.stringify(r.results)).toBe(true);
}

const strike = { kind: 'mairie' as const, label: 'Grève du 5 mars', dateFrom: '2026-03-05', dateTo: '2026-03-05', activityId: null, schoolId: null };
const statusOf = async (): Promise<string[]> =>
  (await t.db('bookings').orderBy('id').select('child_id', 'activity_id', 'date', 'status')).map((b) => `${b.child_id}|${b.activity_id}|${b.date}|${b.status}`);

describe('a closure added on booked days', () => {
  beforeEach(async () => {
    const { cantine: c, garderieSoir: soir } = t.ids.activityIds;
    await book(t.ids.familyId, [
      [t.ids.childJuliaId, c, '2026-03-05'], [t.ids.childLouisId, c, '2026-03-05'], [t.ids.childMargotId, c, '2026-03-05'],
      [t.ids.childJuliaId, soir, '2026-03-05'], [t.ids.childJuliaId, c, '2026-03-06'], [t.ids.childMargotId, c, '2026-03-06'],
    ]);
    await book(t.ids.otherFamilyId, [[t.ids.otherChildId, c, '2026-03-05']]);
  });

  it('cancels and refunds exactly what its preview announced, mails each family, drops them from meal lists', async () => {
    expect((await getMealList(t.ctx, { date: '2026-03-05' })).totals.total).toBe(4);
    const preview = await previewClosure(t.ctx, t.actors.admin, strike);
    // DEVRET: 3 × 3,20 € Cantine + 2,00 € Garderie soir; MARTIN: 3,90 €.
    expect(preview).toMatchObject({ bookings: 5, refundCents: 3 * 320 + 200 + 390, families: 2, familiesNotified: 1, pointedKept: 0 });
    expect(preview.summary.replace(/\s/g, ' ')).toBe('5 réservations seront annulées et remboursées (15,50 €), 1 famille prévenue par e-mail. 1 famille n’a pas d’adresse e-mail.');
    expect(await t.db('bookings').where('status', 'cancelled').count({ n: '*' }).first()).toMatchObject({ n: 0 }); // the preview writes nothing

    const saved = await addClosure(t.ctx, t.actors.admin, strike);
    const { summary: _p, ...announced } = preview;
    const { summary, ...applied } = saved.impact;
    expect(applied).toEqual(announced);
    expect(summary.replace(/\s/g, ' ')).toMatch(/^5 réservations annulées et remboursées \(15,50 €\)/);

    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(10_000 - 2 * 320); // only Friday's two meals
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletPeriscolaireId)).toBe(10_000);
    expect(await getBalance(t.db, t.ids.otherFamilyId, t.ids.walletRestaurationId)).toBe(10_000);
    const refunds = await t.db('ledger_entries').where('kind', 'cancellation_refund').select('booking_id', 'amount_cents', 'label');
    expect(refunds.reduce((s, r) => s + r.amount_cents, 0)).toBe(1550);
    expect(refunds.every((r) => r.booking_id != null && /Grève du 5 mars/.test(r.label))).toBe(true);
    expect((await getMealList(t.ctx, { date: '2026-03-05' })).totals.total).toBe(0);
    expect((await getMealList(t.ctx, { date: '2026-03-06' })).totals.total).toBe(2);
    expect((await mealCounts(t.ctx, { from: '2026-03-05', to: '2026-03-06' })).total).toBe(2);

    const mails = await t.db('mail_outbox').where('kind', 'closure_cancellation').select('to_address', 'subject', 'text_body', 'family_id');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to_address: 'chantal@exemple.fr', family_id: t.ids.familyId });
    expect(mails[0].text_body).toContain('Cantine — Julia — jeudi 5 mars 2026');
    expect(mails[0].text_body).toContain('Garderie soir — Julia — jeudi 5 mars 2026');
    expect(mails[0].text_body.replace(/\s/g, ' ')).toContain('11,60 €');
    const audits = await t.db('audit_log').where('action', 'closure.bookings_cancelled').select('family_id');
    expect(audits.map((a) => a.family_id).sort()).toEqual([t.ids.familyId, t.ids.otherFamilyId].sort());

    // Removing the closure books nothing again and moves no money.
    const before = await statusOf();
    const entries = await t.db('ledger_entries').count({ n: '*' }).first();
    await deleteClosure(t.ctx, t.actors.admin, { closureId: saved.id });
    expect(await statusOf()).toEqual(before);
    expect(await t.db('ledger_entries').count({ n: '*' }).first()).toEqual(entries);
    expect((await getMealList(t.ctx, { date: '2026-03-05' })).totals.total).toBe(0);
  });

  it('touches only the bookings of the activity and school it closes', async () => {
    const { cantine: c } = t.ids.activityIds;
    const maternelleCantine = { kind: 'fermeture' as const, label: 'Cantine maternelle fermée', dateFrom: '2026-03-05', dateTo: '2026-03-06', activityId: c, schoolId: t.ids.schoolMaternelleId };
    expect(await previewClosure(t.ctx, t.actors.admin, maternelleCantine)).toMatchObject({ bookings: 2, refundCents: 640, families: 1 });
    const saved = await addClosure(t.ctx, t.actors.admin, maternelleCantine);
    expect(saved.impact).toMatchObject({ bookings: 2, refundCents: 640 });
    const cancelled = await t.db('bookings').where('status', 'cancelled').select('child_id', 'activity_id');
    expect(cancelled).toEqual([{ child_id: t.ids.childMargotId, activity_id: c }, { child_id: t.ids.childMargotId, activity_id: c }]);

    // Widening it to the whole Cantine on Thursday cancels the others of that day, nothing twice.
    const updated = await updateClosure(t.ctx, t.actors.admin, { closureId: saved.id, values: { ...maternelleCantine, dateTo: '2026-03-05', schoolId: null } });
    expect(updated.impact).toMatchObject({ bookings: 3, refundCents: 320 + 320 + 390, families: 2 });
    expect(await t.db('bookings').where({ status: 'booked' }).select('child_id', 'activity_id', 'date')).toEqual([
      { child_id: t.ids.childJuliaId, activity_id: t.ids.activityIds.garderieSoir, date: '2026-03-05' },
      { child_id: t.ids.childJuliaId, activity_id: c, date: '2026-03-06' },
    ]);
  });

  it('is for the admin only, and a refused closure changes nothing', async () => {
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e as DomainError).code);
    expect(await code(previewClosure(t.ctx, t.actors.secretariat, strike))).toBe('FORBIDDEN');
    expect(await code(addClosure(t.ctx, t.actors.restauration, strike))).toBe('FORBIDDEN');
    expect(await code(addClosure(t.ctx, t.actors.admin, { ...strike, dateFrom: '2026-03-06' }))).toBe('VALIDATION');
    expect(await t.db('bookings').where('status', 'cancelled').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});

describe('a closure of today', () => {
  it('keeps a day already pointed charged, refunds the others, and leaves past days alone', async () => {
    const { cantine: c } = t.ids.activityIds;
    t.clock.set('2026-02-24T08:00:00Z');
    await book(t.ids.familyId, [[t.ids.childJuliaId, c, '2026-03-02'], [t.ids.childLouisId, c, '2026-03-02'], [t.ids.childJuliaId, c, '2026-02-27']]);
    t.clock.set('2026-03-02T11:30:00Z');
    await recordAttendance(t.ctx, t.actors.restauration, { activityId: c, date: '2026-03-02', marks: [{ childId: t.ids.childJuliaId, present: true }] });
    const week = { kind: 'mairie' as const, label: 'Grève', dateFrom: '2026-02-23', dateTo: '2026-03-02', activityId: null, schoolId: null };
    const preview = await previewClosure(t.ctx, t.actors.admin, week);
    expect(preview).toMatchObject({ bookings: 1, refundCents: 320, pointedKept: 1 });
    expect(preview.summary).toContain('1 journée déjà pointée reste facturée.');
    expect((await addClosure(t.ctx, t.actors.admin, week)).impact).toMatchObject({ bookings: 1, refundCents: 320, pointedKept: 1 });
    expect(await t.db('bookings').where('status', 'booked').orderBy('id').select('child_id', 'date')).toEqual([
      { child_id: t.ids.childJuliaId, date: '2026-03-02' },
      { child_id: t.ids.childJuliaId, date: '2026-02-27' },
    ]);
  });
});

describe('a closure over many families', () => {
  /** SQL statements run by `fn` (knex 'query' events). */
  async function queriesOf(fn: () => Promise<unknown>): Promise<number> {
    let n = 0;
    const count = () => {
      n += 1;
    };
    t.db.on('query', count);
    try {
      await fn();
    } finally {
      t.db.removeListener('query', count);
    }
    return n;
  }

  async function addBookedFamilies(count: number, from: number): Promise<void> {
    const at = '2026-01-01T00:00:00.000Z';
    for (let i = from; i < from + count; i++) {
      const [f] = await t.db('families').insert({ code: `G${i}`, name: `FAMILLE${i}`, search_text: `famille${i}`, created_at: at, updated_at: at }).returning('id');
      const familyId = typeof f === 'object' ? (f as { id: number }).id : (f as number);
      await t.db('contacts').insert({
        family_id: familyId, relationship: 'MERE', last_name: `FAMILLE${i}`, first_name: 'Anne', email: `anne${i}@exemple.fr`,
        use_for_billing: true, created_at: at, updated_at: at,
      });
      const [c] = await t.db('children').insert({ family_id: familyId, first_name: `Enfant${i}`, last_name: `FAMILLE${i}`, birth_date: '2018-01-01', class_name: 'CP', created_at: at, updated_at: at }).returning('id');
      const childId = typeof c === 'object' ? (c as { id: number }).id : (c as number);
      await t.db('bookings').insert({ child_id: childId, activity_id: t.ids.activityIds.cantine, date: '2026-03-05', status: 'booked', price_cents: 0, source: 'parent', created_at: at, updated_at: at });
    }
  }

  it('costs the same number of queries to preview for 3 families as for 30, and mails each once', async () => {
    await addBookedFamilies(3, 0);
    const few = await queriesOf(() => previewClosure(t.ctx, t.actors.admin, strike));
    await addBookedFamilies(27, 3);
    const many = await queriesOf(() => previewClosure(t.ctx, t.actors.admin, strike));
    expect(many).toBe(few);
    const saved = await addClosure(t.ctx, t.actors.admin, strike);
    expect(saved.impact).toMatchObject({ bookings: 30, families: 30, familiesNotified: 30 });
    const mails: Array<{ to_address: string }> = await t.db('mail_outbox').where('kind', 'closure_cancellation').select('to_address');
    expect(new Set(mails.map((m) => m.to_address)).size).toBe(30);
    expect(await t.db('bookings').where({ date: '2026-03-05', status: 'booked' }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});
