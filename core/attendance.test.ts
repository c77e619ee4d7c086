import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAttendanceSheet, recordAttendance } from './attendance.js';
import { applyBookingChanges } from './bookings.js';
import { type DomainError } from './errors.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet, getBalance } from './wallet.js';

const DAY = '2026-03-09';
let t: TestDb;
let cantine: number;

beforeEach(async () => {
  t = await createTestDb();
  cantine = t.ids.activityIds.cantine;
  const { ctx, actors, ids } = t;
  await adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 2000, reason: 'crédit' });
  await applyBookingChanges(ctx, actors.parent, {
    familyId: ids.familyId,
    changes: [{ childId: ids.childJuliaId, activityId: cantine, date: DAY, action: 'book' }, { childId: ids.childLouisId, activityId: cantine, date: DAY, action: 'book' }],
  });
  t.clock.set('2026-03-09T12:30:00Z'); // Monday, during lunch
});
afterEach(async () => {
  await t.db.destroy();
});

const balance = (): Promise<number> => getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId);
const attendanceNet = async (childId: number): Promise<number> => {
  const row = await t.db('ledger_entries as l').join('attendance as a', 'a.id', 'l.attendance_id').where({ 'a.child_id': childId, 'a.activity_id': cantine }).sum({ s: 'l.amount_cents' }).first();
  return Number(row?.s ?? 0);
};
// The secretariat's pointage (justifications included); the canteen's limits are tested below.
const mark = (marks: Array<{ childId: number; present: boolean; justified?: boolean }>) =>
  recordAttendance(t.ctx, t.actors.secretariat, { activityId: cantine, date: DAY, marks });

describe('attendance sheet', () => {
  it('lists booked children, and with includeUnbooked every child of the school', async () => {
    const { ctx, ids } = t;
    const sheet = await getAttendanceSheet(ctx, { activityId: cantine, date: DAY });
    expect(sheet.map((l) => [l.firstName, l.className, l.booked, l.present])).toEqual([['Louis', 'CP', true, null], ['Julia', 'CM1', true, null]]); // classes in school order (CP before CM1), then name
    const all = await getAttendanceSheet(ctx, { activityId: cantine, date: DAY, schoolId: ids.schoolElementaireId, includeUnbooked: true });
    expect(all.map((l) => l.firstName).sort()).toEqual(['Julia', 'Louis', 'Léo']);
    await mark([{ childId: ids.childMargotId, present: true }]);
    const after = await getAttendanceSheet(ctx, { activityId: cantine, date: DAY, schoolId: ids.schoolMaternelleId });
    expect(after).toEqual([expect.objectContaining({ firstName: 'Margot', booked: false, present: true, justified: false, className: 'MS' })]);
  });
});

describe('reconciliation', () => {
  it('booked and present, or booked and absent without justification: stays charged', async () => {
    const { ids } = t;
    const r = await mark([{ childId: ids.childJuliaId, present: true }, { childId: ids.childLouisId, present: false }]);
    expect(r).toEqual({ changed: 2, ledgerEntries: 0 });
    expect(await balance()).toBe(2000 - 640);
  });

  it('a justified absence refunds the booking; undoing it charges again; re-running changes nothing', async () => {
    const { ids } = t;
    await mark([{ childId: ids.childLouisId, present: false, justified: true }]);
    expect(await balance()).toBe(2000 - 320);
    const refund = await t.db('ledger_entries').where('kind', 'absence_refund').first();
    expect(refund).toMatchObject({ amount_cents: 320, child_id: ids.childLouisId, service_date: DAY, staff_user_id: ids.staffSecretariatId });
    expect(await mark([{ childId: ids.childLouisId, present: false, justified: true }])).toEqual({ changed: 0, ledgerEntries: 0 });
    await mark([{ childId: ids.childLouisId, present: false, justified: false }]);
    expect(await balance()).toBe(2000 - 640);
    expect(await attendanceNet(ids.childLouisId)).toBe(0);
    await mark([{ childId: ids.childLouisId, present: true, justified: true }]); // justified means nothing when present
    expect(await attendanceNet(ids.childLouisId)).toBe(0);
    expect((await t.db('attendance').where('child_id', ids.childLouisId).first()).justified).toBeFalsy();
  });

  it('present and not booked: tariff plus late surcharge; corrected if the mark was wrong', async () => {
    const { ids } = t;
    await mark([{ childId: ids.childMargotId, present: true }]);
    expect(await attendanceNet(ids.childMargotId)).toBe(-(320 + 150));
    expect(await t.db('ledger_entries').where('kind', 'late_charge').first()).toMatchObject({ amount_cents: -470, child_id: ids.childMargotId });
    expect(await mark([{ childId: ids.childMargotId, present: true }])).toEqual({ changed: 0, ledgerEntries: 0 });
    await mark([{ childId: ids.childMargotId, present: false }]);
    expect(await attendanceNet(ids.childMargotId)).toBe(0);
    await mark([{ childId: ids.childMargotId, present: true }]);
    expect(await attendanceNet(ids.childMargotId)).toBe(-470);
    expect(await balance()).toBe(2000 - 640 - 470);
    // Late charges may take the balance below zero: the meal was eaten.
    expect(await t.db('attendance').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('any sequence of marks ends at the amount the final mark implies', async () => {
    const { ids } = t;
    const sequence = [
      [true, false], [false, true], [false, false], [false, true], [true, false], [false, true],
    ] as const;
    for (const [present, justified] of sequence) {
      await mark([{ childId: ids.childJuliaId, present, justified }, { childId: ids.childMargotId, present, justified }]);
    }
    expect(await attendanceNet(ids.childJuliaId)).toBe(320); // booked, justified absence
    expect(await attendanceNet(ids.childMargotId)).toBe(0); // not booked, absent
    expect(await balance()).toBe(2000 - 640 + 320);
    expect(await t.db('audit_log').where('action', 'attendance.record').count({ n: '*' }).first()).toMatchObject({ n: 12 });
  });

  it('freezes the booking once pointed: neither parents nor staff override can cancel it', async () => {
    const { ids, ctx, actors } = t;
    await mark([{ childId: ids.childJuliaId, present: true }]);
    const r = await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.familyId, override: true, overrideReason: 'Oubli signalé par la famille', changes: [{ childId: ids.childJuliaId, activityId: cantine, date: DAY, action: 'cancel' }] });
    expect(r.results[0]).toMatchObject({ outcome: 'refused', message: 'Le pointage de ce jour est déjà saisi : corrigez le pointage.' });
  });

  it('refuses parents, future days, closed days and unknown children', async () => {
    const { ids, ctx, actors } = t;
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e as DomainError).code);
    expect(await code(recordAttendance(ctx, actors.parent, { activityId: cantine, date: DAY, marks: [{ childId: ids.childJuliaId, present: true }] }))).toBe('FORBIDDEN');
    expect(await code(recordAttendance(ctx, actors.restauration, { activityId: cantine, date: '2026-03-10', marks: [{ childId: ids.childJuliaId, present: true }] }))).toBe('VALIDATION');
    expect(await code(recordAttendance(ctx, actors.secretariat, { activityId: cantine, date: '2026-03-04', marks: [{ childId: ids.childJuliaId, present: true }] }))).toBe('ACTIVITY_CLOSED');
    expect(await code(recordAttendance(ctx, actors.restauration, { activityId: cantine, date: DAY, marks: [{ childId: 9999, present: true }] }))).toBe('NOT_FOUND');
    expect(await code(recordAttendance(ctx, actors.restauration, { activityId: cantine, date: DAY, marks: [] }))).toBe('VALIDATION');
    expect(await t.db('attendance').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});

describe('the canteen (restauration) marks today only, and never justifies', () => {
  const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => ({ code: (e as DomainError).code, message: (e as DomainError).message, field: (e as DomainError).details?.field }));

  it('marks presence and absence of today', async () => {
    const { ids, ctx, actors } = t;
    const r = await recordAttendance(ctx, actors.restauration, { activityId: cantine, date: DAY, marks: [{ childId: ids.childJuliaId, present: true }, { childId: ids.childLouisId, present: false }] });
    expect(r).toEqual({ changed: 2, ledgerEntries: 0 });
  });

  it('may not justify an absence (a refund), nor take a justification back', async () => {
    const { ids, ctx, actors } = t;
    const before = await balance();
    expect(await refusal(recordAttendance(ctx, actors.restauration, { activityId: cantine, date: DAY, marks: [{ childId: ids.childLouisId, present: false, justified: true }] }))).toMatchObject({
      code: 'FORBIDDEN',
      field: 'justified',
    });
    expect(await balance()).toBe(before);
    expect(await t.db('attendance').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    // The secretariat justifies; the canteen re-saving the sheet keeps it, but cannot undo it.
    await mark([{ childId: ids.childLouisId, present: false, justified: true }]);
    const refunded = await balance();
    expect(await recordAttendance(ctx, actors.restauration, { activityId: cantine, date: DAY, marks: [{ childId: ids.childLouisId, present: false, justified: true }] })).toEqual({ changed: 0, ledgerEntries: 0 });
    expect(await refusal(recordAttendance(ctx, actors.restauration, { activityId: cantine, date: DAY, marks: [{ childId: ids.childLouisId, present: false }] }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await balance()).toBe(refunded);
  });

  it('may not correct a past day, which the secretariat still can', async () => {
    const { ids, ctx, actors } = t;
    await mark([{ childId: ids.childLouisId, present: false }]);
    t.clock.set('2026-03-10T12:30:00Z'); // the next day
    const before = await balance();
    expect(await refusal(recordAttendance(ctx, actors.restauration, { activityId: cantine, date: DAY, marks: [{ childId: ids.childLouisId, present: false, justified: true }] }))).toEqual({
      code: 'FORBIDDEN',
      message: 'Seul le secrétariat peut corriger le pointage d’un jour passé.',
      field: 'date',
    });
    expect(await refusal(recordAttendance(ctx, actors.restauration, { activityId: cantine, date: DAY, marks: [{ childId: ids.childLouisId, present: true }] }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await balance()).toBe(before);
    await recordAttendance(ctx, actors.secretariat, { activityId: cantine, date: DAY, marks: [{ childId: ids.childLouisId, present: false, justified: true }] });
    expect(await balance()).toBe(before + 320);
  });
});
