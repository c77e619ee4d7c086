import type { CellState } from '../api/parent.js';
import type { Calendar } from './calendar.js';
import { addDays, isoWeekday, parisInstant, WEEKDAY_LABELS_FR } from './dates.js';
import { dayMonthWords, lowerFirst, sinceWords } from './deadline-words.js';

/**
 * The booking rules as pure functions: the five cell states of the guide, the deadlines and
 * the wallet policy. No database here; callers load the activity, the calendar and the counts.
 */

/** The five cell states of the guide; what each means is written in api/parent.ts. */
export type { CellState };

export interface ActivityRule {
  id: number;
  name?: string;
  /** ISO weekdays served (1 = Monday). */
  weekdays: readonly number[];
  capacity: number | null;
  bookDaysBefore: number;
  bookUntilTime: string;
  cancelDaysBefore: number;
  cancelUntilTime: string;
  active?: boolean;
}

/** "1,2,4,5" -> [1, 2, 4, 5] */
export function parseWeekdays(text: string | null | undefined): number[] {
  if (!text) return [];
  return [...new Set(text.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n >= 1 && n <= 7))].sort();
}

export function formatWeekdays(days: readonly number[]): string {
  return [...new Set(days)].sort().join(',');
}

export interface ActivityRow {
  id: number;
  name: string;
  weekdays: string;
  capacity: number | null;
  book_days_before: number;
  book_until_time: string;
  cancel_days_before: number;
  cancel_until_time: string;
  active: boolean | number;
}

export function activityRuleFromRow(row: ActivityRow): ActivityRule {
  return {
    id: row.id,
    name: row.name,
    weekdays: parseWeekdays(row.weekdays),
    capacity: row.capacity ?? null,
    bookDaysBefore: row.book_days_before,
    bookUntilTime: row.book_until_time,
    cancelDaysBefore: row.cancel_days_before,
    cancelUntilTime: row.cancel_until_time,
    active: Boolean(row.active),
  };
}

/** The day `n` working days before `date` (n = 0: the day itself). */
export function workingDaysBefore(date: string, n: number, calendar: Calendar): string {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, -1);
    if (calendar.isWorkingDay(d)) left--;
  }
  return d;
}

/** Booking is open while now < this instant: D-n working days at HH:MM, Paris time. */
export function bookingDeadline(activity: ActivityRule, date: string, calendar: Calendar): Date {
  return parisInstant(workingDaysBefore(date, activity.bookDaysBefore, calendar), activity.bookUntilTime);
}

/** Cancelling (with refund) is open while now < this instant. */
export function cancelDeadline(activity: ActivityRule, date: string, calendar: Calendar): Date {
  return parisInstant(workingDaysBefore(date, activity.cancelDaysBefore, calendar), activity.cancelUntilTime);
}

export interface CellInput {
  activity: ActivityRule;
  date: string;
  booked: boolean;
  now: Date;
  calendar: Calendar;
  schoolId?: number | null;
  /** Children booked on this activity and day (all families). */
  bookedCount?: number;
  /** Overrides activity.capacity when given. */
  capacity?: number | null;
  /** The last bookable day set by the mairie (core/booking-horizon.ts); none when absent. */
  horizon?: string | null;
}

export interface CellResult {
  state: CellState;
  /** French, shown to the parent: "Vacances de la Toussaint", "Complet"… */
  reason?: string;
  bookDeadline?: Date;
  cancelDeadline?: Date;
  /** Locked because the day lies beyond the booking horizon: no dérogation opens it. */
  beyondHorizon?: true;
}

/**
 * Why the activity does not run that day, or null when it runs, as a parent reads it:
 * "Vacances de Noël", "Armistice 1918" (a public holiday), "fermé : grève", "pas d'activité le mercredi".
 */
export function closedReason(activity: ActivityRule, date: string, calendar: Calendar, schoolId?: number | null): string | null {
  if (activity.active === false) return 'activité suspendue';
  if (!activity.weekdays.includes(isoWeekday(date))) {
    return `pas d'activité le ${WEEKDAY_LABELS_FR[isoWeekday(date) - 1] ?? ''}`;
  }
  const closure = calendar.closureFor(date, activity.id, schoolId ?? null);
  if (!closure) return null;
  if (closure.kind === 'vacances' || closure.kind === 'ferie') return closure.label;
  // "Fermeture exceptionnelle de la mairie" already says it is closed.
  return /^ferm/i.test(closure.label) ? lowerFirst(closure.label) : `fermé : ${lowerFirst(closure.label)}`;
}

/** "au-delà du 3 juillet : réservations pas encore ouvertes" */
export function horizonReason(horizon: string): string {
  return `au-delà du ${dayMonthWords(horizon)} : réservations pas encore ouvertes`;
}

/**
 * What a cell's state takes from the calendar alone: why it is closed, and its deadlines. The
 * same for every family (the school aside), so the planning keeps them per activity-day
 * (core/planning-reference.ts) and judges each family's cells with cellStateFrom.
 */
export interface CellFacts {
  closed: string | null;
  bookDeadline: Date;
  cancelDeadline: Date;
}

export function cellFacts(activity: ActivityRule, date: string, calendar: Calendar, schoolId?: number | null): CellFacts {
  return {
    closed: closedReason(activity, date, calendar, schoolId),
    bookDeadline: bookingDeadline(activity, date, calendar),
    cancelDeadline: cancelDeadline(activity, date, calendar),
  };
}

export function cellState(input: CellInput): CellResult {
  return cellStateFrom(cellFacts(input.activity, input.date, input.calendar, input.schoolId), input);
}

/** The state of a cell from its facts, the booking, the clock, the horizon and the places taken. */
export function cellStateFrom(facts: CellFacts, input: Omit<CellInput, 'calendar' | 'schoolId'>): CellResult {
  const { activity, date, booked, now } = input;
  if (facts.closed) return { state: 'closed', reason: facts.closed };
  const bookBy = facts.bookDeadline;
  const cancelBy = facts.cancelDeadline;
  const deadlines = { bookDeadline: bookBy, cancelDeadline: cancelBy };
  if (booked) {
    if (now.getTime() < cancelBy.getTime()) return { state: 'booked', ...deadlines };
    return { state: 'booked_locked', reason: `annulation close depuis ${sinceWords(cancelBy, now)}`, ...deadlines };
  }
  if (now.getTime() >= bookBy.getTime()) {
    return { state: 'locked', reason: `réservation close depuis ${sinceWords(bookBy, now)}`, ...deadlines };
  }
  // A booked day beyond the horizon (booked before the mairie moved it) may still be cancelled above.
  if (input.horizon && date > input.horizon) {
    return { state: 'locked', reason: horizonReason(input.horizon), beyondHorizon: true, ...deadlines };
  }
  const capacity = input.capacity !== undefined ? input.capacity : activity.capacity;
  if (capacity != null && (input.bookedCount ?? 0) >= capacity) {
    return { state: 'locked', reason: 'complet', ...deadlines };
  }
  return { state: 'open', ...deadlines };
}

export type WalletPolicyResult = { ok: true } | { ok: false; missingCents: number };

/**
 * May a debit of `debitCents` go through on a balance, given how far below zero the wallet
 * may go? A net credit (debit <= 0) always passes: it can only improve the balance.
 */
export function checkWalletPolicy(balanceCents: number, debitCents: number, overdraftLimitCents: number): WalletPolicyResult {
  if (debitCents <= 0) return { ok: true };
  const after = balanceCents - debitCents;
  const floor = -Math.max(0, overdraftLimitCents);
  if (after >= floor) return { ok: true };
  return { ok: false, missingCents: floor - after };
}
