import { toUtcMidnight } from '../../api/dates.js';
import { formatDayMonthYearFr, formatEuros, formatMonthFr, formatWeekdayDateFr, ofMonthFr } from '../../api/format.js';

export { formatEuros };
export { addDays, isoWeekday, mondayOf } from '../../api/dates.js';

const numeric = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
const instant = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "lundi 9 mars 2026", "dimanche 1er mars 2026" */
export const formatDateLong = formatWeekdayDateFr;
/** "9 mars 2026", "1er février 2026" */
export const formatDate = formatDayMonthYearFr;
/** "09/03/2026" */
export const formatDateNumeric = (date: string) => numeric.format(toUtcMidnight(date));
/** "09/03/2026 14:05" (Paris time) */
export const formatInstant = (iso: string) => instant.format(new Date(iso)).replace(' ', ' à ');
/** "mars 2026" */
export const formatMonth = formatMonthFr;
/** "de mars 2026", "d’octobre 2026": "Relevé d’octobre 2026". */
export const formatOfMonth = ofMonthFr;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} octets`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} Ko`;
  return `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} Mo`;
}

/** Today's date in Paris, "YYYY-MM-DD" (the commune's day, whatever the phone's time zone). */
export const todayInParis = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
