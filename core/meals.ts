import { compareClassNames } from '../api/school-classes.js';
import type { MealChildView, MealClassView, MealListResponse, MealSchoolView, MealTotalsView } from '../api/staff.js';
import type { CoreContext } from './context.js';
import { isValidDate } from './dates.js';
import { invalid } from './errors.js';

/**
 * The canteen's list of the day: every child booked on a meal activity (activities.meal) that
 * day, by school and class, with the diet, allergies and PAI the kitchen must know, and totals.
 */

/** The kitchen's short diet names (the portal's longer ones are api/rules.ts DIET_LABELS). */
export const DIET_LABELS: Record<string, string> = {
  standard: 'Standard',
  sans_porc: 'Sans porc',
  vegetarien: 'Végétarien',
  sans_gluten: 'Sans gluten',
};

// The shapes are the HTTP contract's (api/staff.ts); the core names stay for the PDF and xlsx code.
export type MealTotals = MealTotalsView;
export type MealList = MealListResponse;

function emptyTotals(): MealTotals {
  return { total: 0, byDiet: {}, allergies: 0, pai: 0 };
}

function add(t: MealTotals, c: MealChildView): void {
  t.total += 1;
  t.byDiet[c.diet] = (t.byDiet[c.diet] ?? 0) + 1;
  if (c.allergies.trim()) t.allergies += 1;
  if (c.pai) t.pai += 1;
}

/** Two queries: the booked children, then the schools' names and order. */
export async function getMealList(ctx: CoreContext, input: { date: string; schoolId?: number | null }): Promise<MealList> {
  if (!isValidDate(input.date)) throw invalid('Date invalide.');
  const q = ctx
    .db('bookings as b')
    .join('activities as a', 'a.id', 'b.activity_id')
    .join('children as c', 'c.id', 'b.child_id')
    .where('b.date', input.date)
    .andWhere('b.status', 'booked')
    .andWhere('a.meal', true)
    .select(
      'c.id as child_id',
      'c.first_name',
      'c.last_name',
      'c.school_id',
      'c.class_name',
      'c.diet',
      'c.allergies',
      'c.pai',
      'c.pai_note',
      'a.name as activity_name',
    )
    .orderBy(['c.last_name', 'c.first_name', 'c.id', 'a.position']);
  if (input.schoolId != null) q.where('c.school_id', input.schoolId);
  const rows = (await q) as Array<{
    child_id: number;
    first_name: string;
    last_name: string;
    school_id: number | null;
    class_name: string;
    diet: string;
    allergies: string;
    pai: number | boolean;
    pai_note: string;
    activity_name: string;
  }>;

  const schoolsQuery = ctx.db('schools').select('id', 'name').orderBy(['position', 'name']);
  if (input.schoolId != null) schoolsQuery.where('id', input.schoolId);
  const schoolRows = (await schoolsQuery) as Array<{ id: number; name: string }>;

  const bySchool = new Map<number | null, Map<string, Map<number, MealChildView>>>();
  for (const r of rows) {
    const classes = bySchool.get(r.school_id) ?? new Map<string, Map<number, MealChildView>>();
    bySchool.set(r.school_id, classes);
    const children = classes.get(r.class_name) ?? new Map<number, MealChildView>();
    classes.set(r.class_name, children);
    const existing = children.get(r.child_id);
    if (existing) existing.activities.push(r.activity_name);
    else
      children.set(r.child_id, {
        childId: r.child_id,
        firstName: r.first_name,
        lastName: r.last_name,
        className: r.class_name,
        diet: r.diet || 'standard',
        allergies: r.allergies ?? '',
        pai: !!r.pai,
        paiNote: r.pai_note ?? '',
        activities: [r.activity_name],
      });
  }

  const order: Array<{ id: number | null; name: string }> = schoolRows.map((s) => ({ id: s.id, name: s.name }));
  if (bySchool.has(null)) order.push({ id: null, name: 'Sans école renseignée' });

  const list: MealList = { date: input.date, schools: [], totals: emptyTotals() };
  for (const s of order) {
    const classes = bySchool.get(s.id);
    const school: MealSchoolView = { schoolId: s.id, schoolName: s.name, classes: [], totals: emptyTotals() };
    const classNames = [...(classes?.keys() ?? [])].sort(compareClassNames);
    for (const name of classNames) {
      const children = [...classes!.get(name)!.values()];
      const cls: MealClassView = { className: name || 'Classe non renseignée', children, totals: emptyTotals() };
      for (const c of children) {
        add(cls.totals, c);
        add(school.totals, c);
        add(list.totals, c);
      }
      school.classes.push(cls);
    }
    list.schools.push(school);
  }
  return list;
}

/** The markers printed next to a name: diet, allergies, PAI. */
export function mealMarkers(c: Pick<MealChildView, 'diet' | 'allergies' | 'pai' | 'paiNote'>): string[] {
  const markers: string[] = [];
  if (c.diet && c.diet !== 'standard') markers.push(DIET_LABELS[c.diet] ?? c.diet);
  if (c.allergies.trim()) markers.push(`Allergie : ${c.allergies.trim()}`);
  if (c.pai) markers.push(c.paiNote.trim() ? `PAI : ${c.paiNote.trim()}` : 'PAI');
  return markers;
}
