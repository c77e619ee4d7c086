import { formatDayMonthYearFr, formatEuros, formatMonthFr, formatWeekdayDateFr, ofMonthFr } from '../../api/format.js';

export { formatEuros };

const utcDate = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
};

const numeric = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
const instant = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "lundi 9 mars 2026", "dimanche 1er mars 2026" */
export const formatDateLong = formatWeekdayDateFr;
/** "9 mars 2026", "1er février 2026" */
export const formatDate = formatDayMonthYearFr;
/** "09/03/2026" */
export const formatDateNumeric = (date: string) => numeric.format(utcDate(date));
/** "09/03/2026 14:05" (Paris time) */
export const formatInstant = (iso: string) => instant.format(new Date(iso)).replace(' ', ' à ');
/** "mars 2026" */
export const formatMonth = formatMonthFr;
/** "de mars 2026", "d’octobre 2026": "Relevé d’octobre 2026". */
export const formatOfMonth = ofMonthFr;

export function addDays(date: string, n: number): string {
  const d = utcDate(date);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday. */
export function isoWeekday(date: string): number {
  const w = utcDate(date).getUTCDay();
  return w === 0 ? 7 : w;
}

/** "12,50" / "12.5" / "12 €" -> 1250; null when it is not an amount. */
export function parseEuros(text: string): number | null {
  const cleaned = text.replace(/[\s\u202f\u00a0€]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, frac = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} octets`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} Ko`;
  return `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} Mo`;
}

/** The Monday of the week of `date`. */
export const mondayOf = (date: string): string => addDays(date, 1 - isoWeekday(date));

/** Today's date in Paris, "YYYY-MM-DD" (the commune's day, whatever the phone's time zone). */
export const todayInParis = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
