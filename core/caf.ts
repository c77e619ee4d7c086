import type { Knex } from 'knex';
import { CAF_AGE_BANDS, CAF_MAX_DAYS, DEFAULT_QF_BOUNDS, type CafActivityTotal, type CafAgeBand, type CafLine, type CafQfBand, type CafQuery, type CafReport } from '../api/caf.js';
import type { Actor, CoreContext } from './context.js';
import { daysBetween, isValidDate } from './dates.js';
import { invalid } from './errors.js';
import { authorizeStaff } from './policy.js';

/**
 * The CAF's figures (issue 14): hours of attendance actually pointed present (the `attendance`
 * rows with present = true, never the bookings), by activity × age band × QF band, with the
 * number of distinct children.
 *
 * Rules chosen, as the CAF usually counts:
 * - hours of a day = the activity's `caf_minutes_per_day` (its setting today, in minutes);
 * - age on the very day attended: a child is "6 ans et plus" from its 6th birthday included
 *   (born 29 February: from 1 March in a common year), so a child who turns 6 in the period
 *   counts in both age bands, and once in the activity's total;
 * - QF: the family's quotient familial as the file holds it now; none = "QF inconnu";
 * - QF bands: upper bounds inclusive, 600, 900, 1200 by default (0–600, 601–900, 901–1200,
 *   1201 et plus), configurable with each request.
 *
 * Two queries whatever the period: the activities, and the attendance summed per activity and
 * child in SQL (days before and from the 6th birthday).
 */

/** Default minutes per day of a new activity: by its code or name, else its opening times, else 120. */
export function defaultCafMinutes(code: string, name: string, startTime: string | null, endTime: string | null): number {
  const words = `${code} ${name}`.toLowerCase();
  if (/bus|transport/.test(words)) return 30;
  if (/matin/.test(words)) return 90;
  if (/soir/.test(words)) return 150;
  if (/cantine|restaur|repas|midi/.test(words)) return 120;
  const at = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const span = startTime && endTime ? at(endTime) - at(startTime) : 0;
  return span > 0 && span <= 1440 ? span : 120;
}

export function qfBandsOf(bounds: readonly number[]): CafQfBand[] {
  const bands: CafQfBand[] = bounds.map((max, i) => {
    const min = i === 0 ? 0 : bounds[i - 1]! + 1;
    return { key: `qf-${i}`, label: `QF ${min} à ${max}`, min, max };
  });
  const last = bounds[bounds.length - 1]! + 1;
  bands.push({ key: `qf-${bounds.length}`, label: `QF ${last} et plus`, min: last, max: null });
  bands.push({ key: 'unknown', label: 'QF inconnu', min: null, max: null });
  return bands;
}

function bandOf(bands: readonly CafQfBand[], qf: number | null): string {
  if (qf == null) return 'unknown';
  return bands.find((b) => b.min != null && qf >= b.min && (b.max == null || qf <= b.max))?.key ?? bands[0]!.key;
}

interface ChildDays {
  activity_id: number;
  child_id: number;
  qf: number | null;
  under6: number | string | null;
  over6: number | string | null;
}

/** The figures of [from, to] (both inclusive). */
export async function cafReport(ctx: CoreContext, actor: Actor, input: CafQuery): Promise<CafReport> {
  authorizeStaff(actor, 'caf.report');
  const { from, to } = input;
  if (!isValidDate(from)) throw invalid('Date de début invalide.', { field: 'from' });
  if (!isValidDate(to)) throw invalid('Date de fin invalide.', { field: 'to' });
  if (to < from) throw invalid('La date de fin doit suivre la date de début.', { field: 'to' });
  if (daysBetween(from, to) >= CAF_MAX_DAYS) throw invalid(`Période trop longue : ${CAF_MAX_DAYS} jours au plus (une année).`, { field: 'to' });
  const bounds = input.qfBounds ?? DEFAULT_QF_BOUNDS;
  const ok = bounds.length >= 1 && bounds.length <= 8 && bounds.every((b, i) => Number.isSafeInteger(b) && b >= 1 && b <= 100_000 && (i === 0 || b > bounds[i - 1]!));
  if (!ok) throw invalid('Tranches de QF : 1 à 8 nombres entiers croissants entre 1 et 100 000.', { field: 'qfBounds' });
  return computeCaf(ctx.db, from, to, qfBandsOf(bounds));
}

async function computeCaf(db: Knex, from: string, to: string, bands: CafQfBand[]): Promise<CafReport> {
  const activities: Array<{ id: number; name: string; active: number | boolean; caf_minutes_per_day: number }> = await db('activities')
    .orderBy(['position', 'id'])
    .select('id', 'name', 'active', 'caf_minutes_per_day');
  // The 6th birthday as 'YYYY-MM-DD', compared as text with the day (both engines).
  const sixth = "CAST(CAST(substr(c.birth_date, 1, 4) AS integer) + 6 AS text) || substr(c.birth_date, 5)";
  const rows: ChildDays[] = await db('attendance as t')
    .join('children as c', 'c.id', 't.child_id')
    .join('families as f', 'f.id', 'c.family_id')
    .where('t.present', true)
    .whereBetween('t.date', [from, to])
    .groupBy('t.activity_id', 't.child_id', 'f.quotient_familial')
    .select(
      't.activity_id',
      't.child_id',
      'f.quotient_familial as qf',
      db.raw(`SUM(CASE WHEN t.date < ${sixth} THEN 1 ELSE 0 END) AS under6`),
      db.raw(`SUM(CASE WHEN t.date >= ${sixth} THEN 1 ELSE 0 END) AS over6`),
    );

  const minutesPerDay = new Map(activities.map((a) => [a.id, a.caf_minutes_per_day]));
  const lines = new Map<string, CafLine & { ids: Set<number> }>();
  const perActivity = new Map<number, { days: number; ids: Set<number> }>();
  const everyone = new Set<number>();
  for (const r of rows) {
    const perDay = minutesPerDay.get(r.activity_id) ?? 0;
    const qfBand = bandOf(bands, r.qf == null ? null : Number(r.qf));
    const act = perActivity.get(r.activity_id) ?? { days: 0, ids: new Set<number>() };
    perActivity.set(r.activity_id, act);
    for (const ageBand of CAF_AGE_BANDS) {
      const days = Number((ageBand === 'under6' ? r.under6 : r.over6) ?? 0);
      if (days === 0) continue;
      const key = `${r.activity_id}|${ageBand}|${qfBand}`;
      const line = lines.get(key) ?? { activityId: r.activity_id, ageBand, qfBand, days: 0, minutes: 0, children: 0, ids: new Set<number>() };
      line.days += days;
      line.minutes += days * perDay;
      line.ids.add(r.child_id);
      lines.set(key, line);
      act.days += days;
      act.ids.add(r.child_id);
      everyone.add(r.child_id);
    }
  }

  const shown = activities.filter((a) => a.active || perActivity.has(a.id));
  const totals: CafActivityTotal[] = shown.map((a) => {
    const t = perActivity.get(a.id);
    const days = t?.days ?? 0;
    return { activityId: a.id, name: a.name, minutesPerDay: a.caf_minutes_per_day, days, minutes: days * a.caf_minutes_per_day, children: t?.ids.size ?? 0 };
  });
  const order = new Map(shown.map((a, i) => [a.id, i]));
  const bandOrder = new Map(bands.map((b, i) => [b.key, i]));
  const ageOrder = (b: CafAgeBand) => CAF_AGE_BANDS.indexOf(b);
  const out = [...lines.values()]
    .sort((a, b) => (order.get(a.activityId) ?? 0) - (order.get(b.activityId) ?? 0) || ageOrder(a.ageBand) - ageOrder(b.ageBand) || bandOrder.get(a.qfBand)! - bandOrder.get(b.qfBand)!)
    .map(({ ids, ...l }) => ({ ...l, children: ids.size }));
  return {
    from,
    to,
    qfBands: bands,
    activities: totals,
    lines: out,
    total: { days: totals.reduce((s, a) => s + a.days, 0), minutes: totals.reduce((s, a) => s + a.minutes, 0), children: everyone.size },
  };
}
