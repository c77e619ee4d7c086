import type { BookingHorizonView, NextDeadline, PlanningBanner, WeekGlance, WeekWalletTotal } from '../api/glance.js';
import { formatWeekdayDateFr } from '../api/format.js';
import type { ActivityRule, CellFacts } from './booking-rules.js';
import { publicHolidayOn, type Calendar } from './calendar.js';
import { addDays, eachDate, isoWeekday, parisToday } from './dates.js';
import { dayMonthWords, dayWords, instantWords, lowerFirst } from './deadline-words.js';

/**
 * The week at a glance, above the planning grid: what the week costs per wallet (the amounts
 * really charged, from the ledger), the holiday and closure banners, the next deadlines in
 * words and the booking horizon. No query of its own: the calendar, the coming bookings and the
 * charged amounts are the grid's, read over a range that covers the lookahead too.
 */

export interface GlanceInput {
  weekStart: string;
  weekEnd: string;
  now: Date;
  children: ReadonlyArray<{ id: number; school_id: number | null }>;
  activities: ReadonlyArray<{ rule: ActivityRule; name: string; walletId: number }>;
  walletLabels: ReadonlyMap<number, string>;
  /** Good for the week shown and the lookahead (glanceRange). */
  calendar: Calendar;
  /** An activity-day's closure and deadlines (core/planning-reference.ts remembers them). */
  facts: (activity: ActivityRule, date: string, schoolId: number | null) => CellFacts;
  /** The family's booked cells over the same range. */
  booked: ReadonlyArray<{ child_id: number; activity_id: number; date: string }>;
  /** The booked cells of the week with the net of their ledger entries. */
  charged: ReadonlyArray<ChargedBooking>;
  horizon: BookingHorizonView;
}

/** How far ahead the next deadlines look. */
export const DEADLINE_LOOKAHEAD_DAYS = 21;

/** The range the grid reads its calendar and bookings over, so that the glance needs none of its own. */
export function glanceRange(weekStart: string, weekEnd: string, now: Date): { from: string; to: string } {
  const today = parisToday(now);
  const aheadTo = addDays(today, DEADLINE_LOOKAHEAD_DAYS - 1);
  return { from: today < weekStart ? today : weekStart, to: aheadTo > weekEnd ? aheadTo : weekEnd };
}

export function weekGlance(input: GlanceInput): WeekGlance {
  return {
    weekTotals: weekTotals(input.charged, input.activities, input.walletLabels),
    banners: weekBanners(input),
    nextDeadlines: nextDeadlines(input, new Set(input.booked.map((b) => `${b.child_id}|${b.activity_id}|${b.date}`))),
    horizon: input.horizon,
  };
}

export interface ChargedBooking {
  activity_id: number;
  date: string;
  net: number | string | null;
}

export function weekTotals(
  rows: ReadonlyArray<ChargedBooking>,
  activities: ReadonlyArray<{ rule: { id: number }; walletId: number }>,
  walletLabels: ReadonlyMap<number, string>,
): WeekWalletTotal[] {
  const walletOf = new Map(activities.map((a) => [a.rule.id, a.walletId]));
  const byWallet = new Map<number, { bookings: number; days: Set<string>; cents: number }>();
  for (const r of rows) {
    const walletId = walletOf.get(r.activity_id);
    if (walletId == null) continue;
    const t = byWallet.get(walletId) ?? { bookings: 0, days: new Set<string>(), cents: 0 };
    t.bookings += 1;
    t.days.add(r.date);
    t.cents += -Number(r.net ?? 0);
    byWallet.set(walletId, t);
  }
  return [...walletLabels.keys()]
    .filter((id) => byWallet.has(id))
    .map((walletId) => {
      const t = byWallet.get(walletId)!;
      return { walletId, walletLabel: walletLabels.get(walletId) ?? '', bookings: t.bookings, bookedDays: t.days.size, chargedCents: t.cents };
    });
}

/** "du 20 décembre au 3 janvier", "le jeudi 12 mars" */
function spanWords(from: string, to: string): string {
  return from === to ? `le ${formatWeekdayDateFr(from).replace(/ \d{4}$/, '')}` : `du ${dayMonthWords(from)} au ${dayMonthWords(to)}`;
}

/** Holidays first, then public holidays on weekdays, then closures that concern this family's children. */
export function weekBanners(input: Pick<GlanceInput, 'weekStart' | 'weekEnd' | 'calendar' | 'children' | 'activities'>): PlanningBanner[] {
  const { weekStart, weekEnd } = input;
  const schools = new Set(input.children.map((c) => c.school_id));
  const names = new Map(input.activities.map((a) => [a.rule.id, a.name]));
  const banners: PlanningBanner[] = [];
  const seen = new Set<string>();
  for (const c of input.calendar.closures) {
    if (c.dateTo < weekStart || c.dateFrom > weekEnd) continue;
    if (c.schoolId != null && !schools.has(c.schoolId)) continue;
    if (c.activityId != null && !names.has(c.activityId)) continue;
    const from = c.dateFrom < weekStart ? weekStart : c.dateFrom;
    const to = c.dateTo > weekEnd ? weekEnd : c.dateTo;
    if (c.kind === 'vacances') {
      const text = `${c.label} : ${spanWords(c.dateFrom, c.dateTo)}`;
      if (!seen.has(text)) banners.push({ kind: 'vacances', text, from: c.dateFrom, to: c.dateTo });
      seen.add(text);
      continue;
    }
    const what = c.activityId != null ? `${names.get(c.activityId)} fermée` : 'Fermé';
    banners.push({ kind: 'fermeture', text: `${what} ${spanWords(from, to)} : ${lowerFirst(c.label)}`, from, to });
  }
  for (const date of eachDate(weekStart, weekEnd)) {
    const holiday = publicHolidayOn(date);
    if (holiday && isoWeekday(date) <= 5) banners.push({ kind: 'ferie', text: `Jour férié ${spanWords(date, date)} : ${holiday}`, from: date, to: date });
  }
  const rank = { vacances: 0, ferie: 1, fermeture: 2 } as const;
  return banners.sort((a, b) => rank[a.kind] - rank[b.kind] || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** "réservez avant mercredi 10 h", but "réservez aujourd'hui avant 18 h". */
function bookBeforeWords(deadline: Date, now: Date): string {
  const words = instantWords(deadline, now);
  return words.startsWith('aujourd’hui ') ? `réservez aujourd’hui avant ${words.slice('aujourd’hui '.length)}` : `réservez avant ${words}`;
}

/**
 * For each activity, the nearest deadline still open for a day where at least one child is
 * not booked yet and the activity runs (within the horizon): "Cantine : réservez avant
 * mercredi 10 h pour vendredi". Sorted by deadline.
 */
export function nextDeadlines(input: GlanceInput, booked: ReadonlySet<string>): NextDeadline[] {
  const today = parisToday(input.now);
  const nowMs = input.now.getTime();
  const days = eachDate(today, addDays(today, DEADLINE_LOOKAHEAD_DAYS - 1)).filter((d) => d <= input.horizon.lastDay);
  const out: NextDeadline[] = [];
  for (const a of input.activities) {
    for (const date of days) {
      // The deadline does not depend on the school; the closure may.
      const deadline = input.facts(a.rule, date, null).bookDeadline;
      if (deadline.getTime() <= nowMs) continue;
      const someoneToBook = input.children.some(
        (c) => !booked.has(`${c.id}|${a.rule.id}|${date}`) && input.facts(a.rule, date, c.school_id).closed == null,
      );
      if (!someoneToBook) continue;
      out.push({
        activityId: a.rule.id,
        activityName: a.name,
        date,
        deadline: deadline.toISOString(),
        text: `${a.name} : ${bookBeforeWords(deadline, input.now)} pour ${dayWords(date, today)}`,
      });
      break;
    }
  }
  return out.sort((x, y) => (x.deadline < y.deadline ? -1 : x.deadline > y.deadline ? 1 : 0));
}
