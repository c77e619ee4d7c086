import { TZDate } from '@date-fns/tz';
import { addDays, isoWeekday, mondayOf, toUtcMidnight } from '../api/dates.js';
import { formatWeekdayDateFr, WEEKDAY_NAMES_FR } from '../api/format.js';

/**
 * Calendar helpers. A "date" is a 'YYYY-MM-DD' string meaning a day in Europe/Paris; an
 * "instant" is a JS Date (stored as ISO-8601 UTC). Day arithmetic is done on UTC midnight so
 * it never depends on the machine's time zone or on daylight saving.
 */

export const PARIS_TZ = 'Europe/Paris';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** True for a real calendar day written 'YYYY-MM-DD' (rejects 2026-02-30). */
export function isValidDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function isValidTime(s: unknown): s is string {
  return typeof s === 'string' && TIME_RE.test(s);
}

// TZDate costs tens of microseconds per call and a week grid asks for hundreds of deadlines
// (the same few dates over and over): these pure conversions are memoised, bounded.
const MEMO_LIMIT = 20_000;
const partsMemo = new Map<number, { date: string; time: string; year: number }>();
const instantMemo = new Map<string, number>();

function parisParts(instant: Date): { date: string; time: string; year: number } {
  const ms = instant.getTime();
  let parts = partsMemo.get(ms);
  if (!parts) {
    const z = new TZDate(ms, PARIS_TZ);
    parts = {
      date: `${z.getFullYear()}-${pad2(z.getMonth() + 1)}-${pad2(z.getDate())}`,
      time: `${pad2(z.getHours())}:${pad2(z.getMinutes())}`,
      year: z.getFullYear(),
    };
    if (partsMemo.size >= MEMO_LIMIT) partsMemo.clear();
    partsMemo.set(ms, parts);
  }
  return parts;
}

/** The Paris calendar day of an instant. */
export function parisDateOf(instant: Date): string {
  return parisParts(instant).date;
}

/** Today in Paris. */
export function parisToday(now: Date): string {
  return parisDateOf(now);
}

/** The Paris wall-clock time of an instant, 'HH:MM'. */
export function parisTimeOf(instant: Date): string {
  return parisParts(instant).time;
}

/** The Paris year of an instant (receipt numbering). */
export function parisYearOf(instant: Date): number {
  return parisParts(instant).year;
}

/**
 * The instant at which Paris clocks show `time` on `date`. Uses the offset in force on that
 * day, so 10:00 is 08:00Z in summer and 09:00Z in winter, including on the change days.
 */
export function parisInstant(date: string, time: string): Date {
  const key = `${date}T${time}`;
  let ms = instantMemo.get(key);
  if (ms === undefined) {
    const d = toUtcMidnight(date);
    const t = TIME_RE.exec(time);
    if (!t) throw new RangeError(`Heure invalide : ${time}`);
    ms = new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Number(t[1]), Number(t[2]), PARIS_TZ).getTime();
    if (instantMemo.size >= MEMO_LIMIT) instantMemo.clear();
    instantMemo.set(key, ms);
  }
  return new Date(ms);
}

export { addDays, isoWeekday, mondayOf };

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMidnight(to).getTime() - toUtcMidnight(from).getTime()) / 86_400_000);
}

/** Every date from `from` to `to`, both included; empty when to < from. */
export function eachDate(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

export const WEEKDAY_LABELS_FR = WEEKDAY_NAMES_FR;

/** "lundi" */
export function weekdayLabelFr(date: string): string {
  return WEEKDAY_LABELS_FR[isoWeekday(date) - 1] ?? '';
}

/** "lundi 23/05" — the planning grid's column header. */
export function formatDateFr(date: string): string {
  const [, m, d] = date.split('-');
  return `${weekdayLabelFr(date)} ${d}/${m}`;
}

/** "23/05/2026" */
export function formatDateNumericFr(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** "lundi 23 mai 2026", "dimanche 1er mars 2026" */
export function formatDateLongFr(date: string): string {
  return formatWeekdayDateFr(date);
}

/** "mercredi 12/11 à 10:00" — how a deadline instant reads to a parent. */
export function formatInstantFr(instant: Date): string {
  return `${formatDateFr(parisDateOf(instant))} à ${parisTimeOf(instant)}`;
}
