import { dayOfMonthFr, MONTH_NAMES_FR, weekdayNameFr } from '../api/format.js';
import { daysBetween, parisDateOf, parisTimeOf } from './dates.js';

/**
 * Deadlines and days said as a parent says them: "mardi 10 h", "hier 18 h", "demain 9 h 30",
 * "le lundi 16 mars". A weekday alone is only used within six days of today, where it cannot
 * be mistaken for another week's.
 */

/** "10 h", "9 h 30", "18 h" for '10:00', '09:30', '18:00'. */
export function hourWords(time: string): string {
  const [h, m] = time.split(':');
  const hour = String(Number(h));
  return m === '00' || m == null ? `${hour} h` : `${hour} h ${m}`;
}

/** "16 mars" */
export function dayMonthWords(date: string): string {
  const [, m, d] = date.split('-').map(Number);
  return `${dayOfMonthFr(d ?? 1)} ${MONTH_NAMES_FR[(m ?? 1) - 1] ?? ''}`;
}

/** A day relative to today: "aujourd'hui", "demain", "hier", "vendredi", else "le vendredi 20 mars". */
export function dayWords(date: string, today: string): string {
  const diff = daysBetween(today, date);
  if (diff === 0) return 'aujourd’hui';
  if (diff === 1) return 'demain';
  if (diff === -1) return 'hier';
  if (Math.abs(diff) <= 6) return weekdayNameFr(date);
  return `le ${weekdayNameFr(date)} ${dayMonthWords(date)}`;
}

/** An instant relative to now: "mardi 10 h", "aujourd'hui 18 h"; far ones without the hour ("le mardi 3 mars"). */
export function instantWords(instant: Date, now: Date): string {
  const date = parisDateOf(instant);
  const today = parisDateOf(now);
  const day = dayWords(date, today);
  return Math.abs(daysBetween(today, date)) <= 6 ? `${day} ${hourWords(parisTimeOf(instant))}` : day;
}

/** "Pas d'activité" → "pas d'activité"; leaves "ALSH" and "Noël" alone when they start a name. */
export function lowerFirst(text: string): string {
  if (text.length < 2) return text.toLowerCase();
  const [a, b] = [text[0]!, text[1]!];
  return b === b.toLowerCase() && b !== b.toUpperCase() ? a.toLowerCase() + text.slice(1) : text;
}

/** A past deadline for "close depuis …": "10 h" (today), "hier 18 h", "mardi 10 h", "le mardi 3 mars". */
export function sinceWords(instant: Date, now: Date): string {
  const words = instantWords(instant, now);
  return words.startsWith('aujourd’hui ') ? words.slice('aujourd’hui '.length) : words;
}
