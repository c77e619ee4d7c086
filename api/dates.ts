/**
 * Calendar arithmetic on 'YYYY-MM-DD' days, shared by the server (core/dates.ts re-exports it)
 * and both clients. Computed on UTC midnight, so neither the machine's time zone nor daylight
 * saving can shift a day. No imports: the portal's bundle takes it as it is.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The day as a Date at UTC midnight; a RangeError for anything but 'YYYY-MM-DD'. */
export function toUtcMidnight(date: string): Date {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`Date invalide : ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

function fromUtcMidnight(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** '2026-02-28' + 1 -> '2026-03-01'; n may be negative. */
export function addDays(date: string, n: number): string {
  const d = toUtcMidnight(date);
  d.setUTCDate(d.getUTCDate() + n);
  return fromUtcMidnight(d);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const w = toUtcMidnight(date).getUTCDay();
  return w === 0 ? 7 : w;
}

/** The Monday of the week of `date`. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** '2026-02' -> { from: '2026-02-01', to: '2026-02-28' }. */
export function monthBounds(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  const d = toUtcMidnight(from);
  d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return { from, to: fromUtcMidnight(d) };
}
