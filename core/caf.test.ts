import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listActivitiesAdmin, updateActivity, type ActivityValues } from './activities-admin.js';
import { recordAttendance } from './attendance.js';
import { applyBookingChanges } from './bookings.js';
import { cafReport, defaultCafMinutes } from './caf.js';
import { eachDate, isoWeekday } from './dates.js';
import type { DomainError } from './errors.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';

// Runs on SQLite, and on PostgreSQL with ETICKET_TEST_PG_URL (db/test-db.ts).
let t: TestDb;
beforeEach(async () => {
  t = await createTestDb({ now: '2026-04-01T10:00:00Z' });
});
afterEach(async () => {
  await t.db.destroy();
});

interface Mark {
  childId: number;
  activityId: number;
  date: string;
  present: boolean;
}

/** Whole years between a birth date and a day, the way a person counts them (no SQL). */
function ageOn(birth: string, day: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

async function insertMarks(marks: Mark[]): Promise<void> {
  const at = '2026-04-01T10:00:00.000Z';
  for (let i = 0; i < marks.length; i += 200) {
    await t.db('attendance').insert(
      marks.slice(i, i + 200).map((m) => ({ child_id: m.childId, activity_id: m.activityId, date: m.date, present: m.present, justified: false, staff_user_id: t.ids.staffAdminId, recorded_at: at })),
    );
  }
}

async function setMinutes(activityId: number, minutes: number): Promise<void> {
  const a = (await listActivitiesAdmin(t.ctx)).find((x) => x.id === activityId)!;
  const { id: _i, code: _c, position: _p, tariffs, ...rest } = a;
  const values: ActivityValues = { ...rest, cafMinutesPerDay: minutes, tariffs: tariffs.map(({ id: _t, ...x }) => x) };
  await updateActivity(t.ctx, t.actors.admin, { activityId, values });
}

describe('CAF figures', () => {
  it('hours = days pointed present × minutes per day, by activity, age band and QF band', async () => {
    const { ids } = t;
    const acts = ids.activityIds;
    const minutes = { [acts.cantine]: 120, [acts.garderieMatin]: 90, [acts.garderieSoir]: 150, [acts.bus]: 30 };
    for (const [id, m] of Object.entries(minutes)) await setMinutes(Number(id), m);
    // Margot turns 6 on 10/03/2026, in the period.
    await t.db('children').where({ id: ids.childMargotId }).update({ birth_date: '2020-03-10' });
    await t.db('families').where({ id: ids.otherFamilyId }).update({ quotient_familial: null });
    const births: Record<number, string> = { [ids.childJuliaId]: '2016-04-12', [ids.childLouisId]: '2019-09-03', [ids.childMargotId]: '2020-03-10', [ids.otherChildId]: '2016-01-30' };
    const qf: Record<number, number | null> = { [ids.childJuliaId]: 850, [ids.childLouisId]: 850, [ids.childMargotId]: 850, [ids.otherChildId]: null };

    // A deterministic mix of present and absent marks over March 2026, plus February.
    const marks: Mark[] = [];
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
    for (const date of eachDate('2026-02-20', '2026-03-31')) {
      if (isoWeekday(date) > 5) continue;
      for (const childId of Object.keys(births).map(Number)) {
        for (const activityId of Object.values(acts)) if (next() < 0.7) marks.push({ childId, activityId, date, present: next() < 0.8 });
      }
    }
    await insertMarks(marks);
    // A booking without pointage counts for nothing.
    await adjustWallet(t.ctx, t.actors.admin, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 5000, reason: 'crédit' });
    t.clock.set('2026-03-20T08:00:00Z');
    await applyBookingChanges(t.ctx, t.actors.parent, { familyId: ids.familyId, changes: [{ childId: ids.childJuliaId, activityId: acts.cantine, date: '2026-03-30', action: 'book' }] });

    const from = '2026-03-01';
    const to = '2026-03-31';
    const report = await cafReport(t.ctx, t.actors.secretariat, { from, to });

    // The expected figures, from the marks alone.
    const band = (q: number | null) => (q == null ? 'unknown' : q <= 600 ? 'qf-0' : q <= 900 ? 'qf-1' : q <= 1200 ? 'qf-2' : 'qf-3');
    const expected = new Map<string, { days: number; minutes: number; kids: Set<number> }>();
    for (const m of marks.filter((x) => x.present && x.date >= from && x.date <= to)) {
      const key = `${m.activityId}|${ageOn(births[m.childId]!, m.date) < 6 ? 'under6' : 'over6'}|${band(qf[m.childId]!)}`;
      const e = expected.get(key) ?? { days: 0, minutes: 0, kids: new Set<number>() };
      e.days += 1;
      e.minutes += minutes[m.activityId]!;
      e.kids.add(m.childId);
      expected.set(key, e);
    }
    const got = new Map(report.lines.map((l) => [`${l.activityId}|${l.ageBand}|${l.qfBand}`, { days: l.days, minutes: l.minutes, children: l.children }]));
    expect(got).toEqual(new Map([...expected].map(([k, e]) => [k, { days: e.days, minutes: e.minutes, children: e.kids.size }])));
    const presentInMarch = marks.filter((x) => x.present && x.date >= from && x.date <= to);
    expect(report.total.minutes).toBe(presentInMarch.reduce((s, m) => s + minutes[m.activityId]!, 0));
    expect(report.total.days).toBe(presentInMarch.length);
    expect(report.total.children).toBe(new Set(presentInMarch.map((m) => m.childId)).size);
    const cantine = report.activities.find((a) => a.activityId === acts.cantine)!;
    expect(cantine).toMatchObject({ name: 'Cantine', minutesPerDay: 120 });
    expect(cantine.minutes).toBe(presentInMarch.filter((m) => m.activityId === acts.cantine).length * 120);
    expect(report.qfBands.map((b) => b.label)).toEqual(['QF 0 à 600', 'QF 601 à 900', 'QF 901 à 1200', 'QF 1201 et plus', 'QF inconnu']);
  });

  it('age band on the day attended: the 6th birthday counts as 6, 29 February as 1 March', async () => {
    const { ids } = t;
    const cantine = ids.activityIds.cantine;
    await t.db('children').where({ id: ids.childMargotId }).update({ birth_date: '2020-03-10' });
    await t.db('children').where({ id: ids.childLouisId }).update({ birth_date: '2020-02-29' });
    await insertMarks([
      { childId: ids.childMargotId, activityId: cantine, date: '2026-03-09', present: true },
      { childId: ids.childMargotId, activityId: cantine, date: '2026-03-10', present: true },
      { childId: ids.childLouisId, activityId: cantine, date: '2026-02-27', present: true },
      { childId: ids.childLouisId, activityId: cantine, date: '2026-03-02', present: true },
    ]);
    const r = await cafReport(t.ctx, t.actors.admin, { from: '2026-02-01', to: '2026-03-31' });
    const line = (age: string) => r.lines.find((l) => l.activityId === cantine && l.ageBand === age)!;
    expect(line('under6')).toMatchObject({ days: 2, minutes: 240, children: 2 });
    expect(line('over6')).toMatchObject({ days: 2, minutes: 240, children: 2 });
    // Two children who turned 6 in the period: two distinct children, not four.
    expect(r.activities.find((a) => a.activityId === cantine)).toMatchObject({ days: 4, children: 2 });
    const only9 = await cafReport(t.ctx, t.actors.admin, { from: '2026-03-09', to: '2026-03-09' });
    expect(only9.lines).toEqual([expect.objectContaining({ ageBand: 'under6', days: 1 })]);
  });

  it('QF unknown and custom QF bands; absences and other periods are left out', async () => {
    const { ids } = t;
    const bus = ids.activityIds.bus;
    await t.db('families').where({ id: ids.familyId }).update({ quotient_familial: 1000 });
    await insertMarks([
      { childId: ids.otherChildId, activityId: bus, date: '2026-03-09', present: true },
      { childId: ids.childJuliaId, activityId: bus, date: '2026-03-09', present: true },
      { childId: ids.childJuliaId, activityId: bus, date: '2026-03-10', present: false },
      { childId: ids.childJuliaId, activityId: bus, date: '2026-04-01', present: true },
    ]);
    const r = await cafReport(t.ctx, t.actors.secretariat, { from: '2026-03-01', to: '2026-03-31', qfBounds: [500, 1000] });
    expect(r.qfBands.map((b) => b.label)).toEqual(['QF 0 à 500', 'QF 501 à 1000', 'QF 1001 et plus', 'QF inconnu']);
    expect(r.lines.map((l) => [l.qfBand, l.days, l.minutes])).toEqual([
      ['qf-1', 1, 120],
      ['unknown', 1, 120],
    ]);
  });

  it('pointage through recordAttendance counts; the setting moves the hours', async () => {
    const { ids } = t;
    t.clock.set('2026-03-09T12:30:00Z');
    await recordAttendance(t.ctx, t.actors.secretariat, { activityId: ids.activityIds.garderieSoir, date: '2026-03-09', marks: [{ childId: ids.childJuliaId, present: true }, { childId: ids.childLouisId, present: false }] });
    await setMinutes(ids.activityIds.garderieSoir, 135);
    const r = await cafReport(t.ctx, t.actors.secretariat, { from: '2026-01-01', to: '2026-12-31' });
    expect(r.total).toEqual({ days: 1, minutes: 135, children: 1 });
  });

  it('runs a fixed number of queries, refuses bad input in French and the canteen staff', async () => {
    const { ids } = t;
    await insertMarks(eachDate('2026-03-02', '2026-03-27').map((date) => ({ childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date, present: true })));
    let queries = 0;
    const count = () => queries++;
    t.db.on('query', count);
    await cafReport(t.ctx, t.actors.admin, { from: '2026-03-01', to: '2026-03-31' });
    const oneMonth = queries;
    queries = 0;
    await cafReport(t.ctx, t.actors.admin, { from: '2026-01-01', to: '2026-12-31' });
    t.db.off('query', count);
    expect(oneMonth).toBe(2);
    expect(queries).toBe(2);

    const refuse = (input: Parameters<typeof cafReport>[2]) => cafReport(t.ctx, t.actors.admin, input).catch((e: DomainError) => e.message);
    expect(await refuse({ from: '2026-03-31', to: '2026-03-01' })).toBe('La date de fin doit suivre la date de début.');
    expect(await refuse({ from: '2025-01-01', to: '2026-03-01' })).toMatch(/Période trop longue/);
    expect(await refuse({ from: '2026-02-30', to: '2026-03-01' })).toBe('Date de début invalide.');
    expect(await refuse({ from: '2026-01-01', to: '2026-03-01', qfBounds: [900, 600] })).toMatch(/Tranches de QF/);
    await expect(cafReport(t.ctx, t.actors.restauration, { from: '2026-01-01', to: '2026-03-01' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('the activity setting: default by kind, 0 to 1440 minutes', async () => {
    expect([defaultCafMinutes('GARDERIE_MATIN', 'Garderie matin', '07:30', '08:50'), defaultCafMinutes('GARDERIE_SOIR', 'Garderie soir', null, null)]).toEqual([90, 150]);
    expect([defaultCafMinutes('CANTINE', 'Cantine', '12:00', '13:30'), defaultCafMinutes('BUS', 'Bus', '07:45', '17:15')]).toEqual([120, 30]);
    expect(defaultCafMinutes('ETUDE', 'Étude surveillée', '16:30', '17:30')).toBe(60);
    await expect(setMinutes(t.ids.activityIds.cantine, 1441)).rejects.toMatchObject({ message: 'Durée comptée pour la CAF : 0 à 1440 minutes par jour.' });
    await setMinutes(t.ids.activityIds.cantine, 0);
    expect((await listActivitiesAdmin(t.ctx)).find((a) => a.id === t.ids.activityIds.cantine)?.cafMinutesPerDay).toBe(0);
    // The CHECK refuses what a script would write past the core.
    await expect(t.db('activities').where({ id: t.ids.activityIds.bus }).update({ caf_minutes_per_day: -1 })).rejects.toThrow();
  });
});
