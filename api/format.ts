/**
 * French money and date wording shared by the server (PDFs, mails, messages) and both clients,
 * so that "1er février", "d’octobre" and "0,00 €" are right everywhere at once. No imports:
 * the portal's bundle takes it as it is.
 */

const euro = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** 1250 -> "12,50 €" (French narrow no-break spaces); 0 and -0 both read "0,00 €". */
export function formatEuros(cents: number): string {
  // -0 (from `-total` of an empty sum, or Math.round(-0.2)) would print "-0,00 €".
  return euro.format((cents === 0 ? 0 : cents) / 100);
}

export const WEEKDAY_NAMES_FR = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'] as const;
export const MONTH_NAMES_FR = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin',
  'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
] as const;

function parts(date: string): { y: number; m: number; d: number } {
  const [y, m, d] = date.split('-').map(Number);
  return { y: y ?? 0, m: m ?? 1, d: d ?? 1 };
}

/** The French day of the month: "1er", "2", … "31". */
export function dayOfMonthFr(day: number): string {
  return day === 1 ? '1er' : String(day);
}

/** "lundi" for '2026-03-09' (calendar arithmetic in UTC, so no time zone can shift the day). */
export function weekdayNameFr(date: string): string {
  const { y, m, d } = parts(date);
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return WEEKDAY_NAMES_FR[(w + 6) % 7]!;
}

/** "1er mars 2026", "9 mars 2026" */
export function formatDayMonthYearFr(date: string): string {
  const { y, m, d } = parts(date);
  return `${dayOfMonthFr(d)} ${MONTH_NAMES_FR[m - 1] ?? ''} ${y}`;
}

/** "dimanche 1er mars 2026" */
export function formatWeekdayDateFr(date: string): string {
  return `${weekdayNameFr(date)} ${formatDayMonthYearFr(date)}`;
}

/** "octobre 2026" for '2026-10'. */
export function formatMonthFr(month: string): string {
  const { y, m } = parts(`${month}-01`);
  return `${MONTH_NAMES_FR[m - 1] ?? ''} ${y}`;
}

/** "de mars 2026", "d’octobre 2026", "d’avril 2026", "d’août 2026": "de" elided before a vowel. */
export function ofMonthFr(month: string): string {
  const name = formatMonthFr(month);
  return /^[aeiouyéèâà]/i.test(name) ? `d’${name}` : `de ${name}`;
}

const parisParts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "1er mars 2026 à 2 h 05": an instant (ISO) as Paris reads it, whatever the viewer's zone. */
export function formatInstantDayTimeFr(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'date inconnue';
  const p = Object.fromEntries(parisParts.formatToParts(at).map((x) => [x.type, x.value]));
  return `${formatDayMonthYearFr(`${p.year}-${p.month}-${p.day}`)} à ${Number(p.hour)} h ${p.minute}`;
}
