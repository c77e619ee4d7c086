import type { Knex } from 'knex';
import { addDays, isoWeekday } from './dates.js';

/** Closed days: French public holidays (computed), and the `closures` table (school holidays, mairie, activity or school closures). */

export type ClosureKind = 'ferie' | 'vacances' | 'mairie' | 'fermeture';

export interface Closure {
  kind: ClosureKind;
  label: string;
}

export interface ClosureRow {
  id: number;
  kind: string;
  label: string;
  dateFrom: string;
  dateTo: string;
  activityId: number | null;
  schoolId: number | null;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Easter Sunday (Gregorian), Meeus/Jones/Butcher algorithm. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** The eleven public holidays of metropolitan France (no Alsace-Moselle days), by date. */
export function frenchPublicHolidays(year: number): Array<{ date: string; label: string }> {
  const easter = easterSunday(year);
  const list = [
    { date: `${year}-01-01`, label: 'Jour de l\'an' },
    { date: addDays(easter, 1), label: 'Lundi de Pâques' },
    { date: `${year}-05-01`, label: 'Fête du Travail' },
    { date: `${year}-05-08`, label: 'Victoire 1945' },
    { date: addDays(easter, 39), label: 'Ascension' },
    { date: addDays(easter, 50), label: 'Lundi de Pentecôte' },
    { date: `${year}-07-14`, label: 'Fête nationale' },
    { date: `${year}-08-15`, label: 'Assomption' },
    { date: `${year}-11-01`, label: 'Toussaint' },
    { date: `${year}-11-11`, label: 'Armistice 1918' },
    { date: `${year}-12-25`, label: 'Noël' },
  ];
  return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

const holidayCache = new Map<number, Map<string, string>>();

/** The public holiday's label on that date, or null. */
export function publicHolidayOn(date: string): string | null {
  const year = Number(date.slice(0, 4));
  let byDate = holidayCache.get(year);
  if (!byDate) {
    byDate = new Map(frenchPublicHolidays(year).map((h) => [h.date, h.label]));
    holidayCache.set(year, byDate);
  }
  return byDate.get(date) ?? null;
}

export interface Calendar {
  readonly from: string;
  readonly to: string;
  /** Why the activity does not run that day for that school, or null when it may run. */
  closureFor(date: string, activityId?: number | null, schoolId?: number | null): Closure | null;
  /** A day the mairie's services work: deadlines count back over these only. */
  isWorkingDay(date: string): boolean;
  /** The closure rows that were loaded (they reach DEADLINE_MARGIN_DAYS before `from`). */
  readonly closures: ReadonlyArray<ClosureRow>;
}

// The order a cell shows when several reasons apply: the most general first.
const kindRank: Record<string, number> = { vacances: 0, mairie: 1, fermeture: 2 };

/** Builds a calendar over closure rows already read (pure; loadCalendar reads them). */
export function buildCalendar(from: string, to: string, closures: ReadonlyArray<ClosureRow>): Calendar {
  const sorted = [...closures].sort((a, b) => (kindRank[a.kind] ?? 9) - (kindRank[b.kind] ?? 9));
  const mairieClosed = (date: string): boolean =>
    sorted.some((c) => c.kind === 'mairie' && c.activityId == null && c.schoolId == null && c.dateFrom <= date && date <= c.dateTo);
  return {
    from,
    to,
    closures: sorted,
    closureFor(date, activityId, schoolId) {
      const holiday = publicHolidayOn(date);
      if (holiday) return { kind: 'ferie', label: holiday };
      for (const c of sorted) {
        if (c.dateFrom > date || date > c.dateTo) continue;
        if (c.activityId != null && c.activityId !== activityId) continue;
        if (c.schoolId != null && schoolId != null && c.schoolId !== schoolId) continue;
        // A closure for one school does not close the activity for a child of no school.
        if (c.schoolId != null && schoolId == null) continue;
        return { kind: (c.kind as ClosureKind) ?? 'fermeture', label: c.label };
      }
      return null;
    },
    isWorkingDay(date) {
      return isoWeekday(date) <= 5 && publicHolidayOn(date) == null && !mairieClosed(date);
    },
  };
}

/**
 * Deadlines count back from a service day over working days; the closures are read from
 * this many days before `from` so that a mairie closure just before the range still counts.
 */
export const DEADLINE_MARGIN_DAYS = 45;

/** Reads the closures that touch [from - margin, to] in one query. */
export async function loadCalendar(db: Knex, from: string, to: string): Promise<Calendar> {
  const rows: Array<{ id: number; kind: string; label: string; date_from: string; date_to: string; activity_id: number | null; school_id: number | null }> =
    await db('closures')
      .select('id', 'kind', 'label', 'date_from', 'date_to', 'activity_id', 'school_id')
      .where('date_from', '<=', to)
      .andWhere('date_to', '>=', addDays(from, -DEADLINE_MARGIN_DAYS));
  return buildCalendar(
    from,
    to,
    rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      label: r.label,
      dateFrom: r.date_from,
      dateTo: r.date_to,
      activityId: r.activity_id ?? null,
      schoolId: r.school_id ?? null,
    })),
  );
}
