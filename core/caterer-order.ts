import {
  adultMealsSchema,
  CATERER_MAX_DAYS,
  type AdultMealsView,
  type CatererCell,
  type CatererDay,
  type CatererFigures,
  type CatererOrderQuery,
  type CatererOrderView,
} from '../api/routes/staff-caterer.js';
import { DIETS } from '../api/rules.js';
import { audit } from './audit.js';
import { parseWeekdays } from './booking-rules.js';
import { loadCalendar } from './calendar.js';
import type { Actor, CoreContext } from './context.js';
import { daysBetween, eachDate, isoWeekday, isValidDate, parisToday } from './dates.js';
import { invalid, notFound } from './errors.js';
import { DIET_LABELS } from './meals.js';
import { authorizeStaff } from './policy.js';
import { writeTransaction } from './tx.js';

/**
 * "Commande traiteur": the meals to order per school and day over a range, counted as the
 * day's meal list counts them (core/meals.ts: each child booked on a meal activity once, by
 * diet, with allergies and PAI), plus the adults' meals the kitchen enters (adult_meals), and
 * for past days the actual count from the pointage. Six queries whatever the range or the
 * number of schools, run together; never one per day or per school.
 */

/** The school of children without one, named as the meal list names it. */
export const NO_SCHOOL = 'Sans école renseignée';

export function emptyFigures(actual: number | null = null): CatererFigures {
  const byDiet: Record<string, number> = {};
  for (const d of DIETS) byDiet[d] = 0;
  return { byDiet, children: 0, allergies: 0, pai: 0, adults: 0, total: 0, actual };
}

/** Adds `f` into `into`; the actual count is a sum of the known ones (null when none is). */
export function addFigures(into: CatererFigures, f: CatererFigures): void {
  for (const [d, n] of Object.entries(f.byDiet)) into.byDiet[d] = (into.byDiet[d] ?? 0) + n;
  into.children += f.children;
  into.allergies += f.allergies;
  into.pai += f.pai;
  into.adults += f.adults;
  into.total += f.total;
  if (f.actual != null) into.actual = (into.actual ?? 0) + f.actual;
}

function checkRange(from: string, to: string): void {
  if (!isValidDate(from)) throw invalid('Date de début invalide.', { field: 'from' });
  if (!isValidDate(to)) throw invalid('Date de fin invalide.', { field: 'to' });
  if (to < from) throw invalid('La date de fin doit suivre la date de début.', { field: 'to' });
  if (daysBetween(from, to) + 1 > CATERER_MAX_DAYS) throw invalid(`La période est limitée à ${CATERER_MAX_DAYS} jours (environ trois mois).`, { field: 'to' });
}

const key = (date: string, schoolId: number | null) => `${date}|${schoolId ?? ''}`;

type BookedRow = { date: string; school_id: number | null; diet: string | null; allergic: number | string | boolean; pai: number | boolean; n: number | string };
type PointedRow = { date: string; school_id: number | null; present: number | string; marks: number | string };
type AdultRow = { date: string; school_id: number; count: number };

export async function getCatererOrder(ctx: CoreContext, actor: Actor, input: CatererOrderQuery): Promise<CatererOrderView> {
  authorizeStaff(actor, 'caterer.order');
  const { from, to } = input;
  checkRange(from, to);
  const db = ctx.db;
  const today = parisToday(ctx.clock.now());
  const allergic = "CASE WHEN TRIM(c.allergies) <> '' THEN 1 ELSE 0 END";

  const [booked, pointed, adults, schoolRows, mealActivities, calendar] = await Promise.all([
    // Children booked on a meal activity, each once per day, grouped by what the kitchen prepares.
    db('bookings as b')
      .join('activities as a', 'a.id', 'b.activity_id')
      .join('children as c', 'c.id', 'b.child_id')
      .where('b.status', 'booked')
      .andWhere('a.meal', true)
      .whereBetween('b.date', [from, to])
      .groupBy('b.date', 'c.school_id', 'c.diet', 'c.pai')
      .groupByRaw(allergic)
      .select('b.date', 'c.school_id', 'c.diet', 'c.pai', db.raw(`${allergic} as allergic`), db.raw('COUNT(DISTINCT c.id) as n')) as Promise<BookedRow[]>,
    // The pointage of meal activities on days up to today: children present, and whether any mark exists.
    from > today
      ? Promise.resolve([] as PointedRow[])
      : (db('attendance as t')
          .join('activities as a', 'a.id', 't.activity_id')
          .join('children as c', 'c.id', 't.child_id')
          .andWhere('a.meal', true)
          .whereBetween('t.date', [from, to < today ? to : today])
          .groupBy('t.date', 'c.school_id')
          .select('t.date', 'c.school_id', db.raw('COUNT(DISTINCT CASE WHEN t.present THEN c.id END) as present'), db.raw('COUNT(*) as marks')) as Promise<PointedRow[]>),
    db('adult_meals').whereBetween('date', [from, to]).select('date', 'school_id', 'count') as Promise<AdultRow[]>,
    db('schools').select('id', 'name').orderBy(['position', 'name']) as Promise<Array<{ id: number; name: string }>>,
    db('activities').where({ meal: true, active: true }).select('id', 'weekdays') as Promise<Array<{ id: number; weekdays: string }>>,
    loadCalendar(db, from, to),
  ]);

  const cells = new Map<string, CatererFigures>();
  const cellOf = (date: string, schoolId: number | null) => {
    const k = key(date, schoolId);
    let f = cells.get(k);
    if (!f) cells.set(k, (f = emptyFigures()));
    return f;
  };
  let noSchool = false;
  for (const r of booked) {
    const n = Number(r.n);
    const f = cellOf(r.date, r.school_id ?? null);
    if (r.school_id == null) noSchool = true;
    const diet = r.diet || 'standard';
    f.byDiet[diet] = (f.byDiet[diet] ?? 0) + n;
    f.children += n;
    if (Number(r.allergic) === 1 || r.allergic === true) f.allergies += n;
    if (r.pai) f.pai += n;
  }
  for (const r of adults) cellOf(r.date, r.school_id).adults += Number(r.count);
  for (const r of pointed) {
    if (Number(r.marks) === 0) continue;
    if (r.school_id == null) noSchool = true;
    cellOf(r.date, r.school_id ?? null).actual = Number(r.present);
  }

  const schools: CatererOrderView['schools'] = schoolRows.map((s) => ({ id: s.id, name: s.name }));
  if (noSchool) schools.push({ id: null, name: NO_SCHOOL });

  const served = (d: string) => mealActivities.some((a) => parseWeekdays(a.weekdays).includes(isoWeekday(d)) && calendar.closureFor(d, a.id, null) == null);
  const withFigures = new Set([...cells.keys()].map((k) => k.slice(0, 10)));
  const totals = emptyFigures();
  const days: CatererDay[] = eachDate(from, to)
    .filter((d) => withFigures.has(d) || served(d))
    .map((date) => {
      const past = date <= today;
      const dayTotals = emptyFigures();
      const dayCells: CatererCell[] = schools.map((s) => {
        const f = cells.get(key(date, s.id)) ?? emptyFigures();
        f.total = f.children + f.adults;
        addFigures(dayTotals, f);
        return { schoolId: s.id, ...f };
      });
      addFigures(totals, dayTotals);
      return { date, past, cells: dayCells, totals: dayTotals };
    });

  return {
    from,
    to,
    today,
    diets: Object.keys(totals.byDiet).map((code) => ({ code, label: DIET_LABELS[code] ?? code })),
    schools,
    days,
    totals,
  };
}

/** The kitchen enters the adults' meals of a school and day (0 to 500); audited with before and after. */
export async function setAdultMeals(ctx: CoreContext, actor: Actor, input: unknown): Promise<AdultMealsView> {
  const staffActor = authorizeStaff(actor, 'caterer.order');
  const parsed = adultMealsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.message ?? 'Repas adultes invalides.', { field: issue?.path.join('.') || 'count' });
  }
  const { schoolId, date, count } = parsed.data;
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const school = (await trx('schools').where('id', schoolId).first('id', 'name')) as { id: number; name: string } | undefined;
    if (!school) throw notFound('École');
    const before = (await trx('adult_meals').where({ school_id: schoolId, date }).first('count')) as { count: number } | undefined;
    const row = { school_id: schoolId, date, count, staff_user_id: staffActor.staffUserId, updated_at: now.toISOString() };
    if (before) await trx('adult_meals').where({ school_id: schoolId, date }).update({ count, staff_user_id: row.staff_user_id, updated_at: row.updated_at });
    else await trx('adult_meals').insert(row);
    await audit(trx, actor, {
      action: 'caterer.adult_meals',
      entity: 'adult_meals',
      entityId: `${schoolId}:${date}`,
      before: before ? { count: Number(before.count) } : null,
      after: { count },
      note: `${school.name}, ${date} : ${count} repas adultes`,
    }, now);
    return { schoolId, date, count };
  });
}
