import type { GridCell, GridChild, GridPeriod, WeekGridResponse } from '../api/parent.js';
import { activityRuleFromRow, cellState, type ActivityRow } from './booking-rules.js';
import { loadActivityDayCounts } from './batch-plan.js';
import { assertCanReadFamily } from './bookings.js';
import { loadCalendar } from './calendar.js';
import type { Actor, CoreContext } from './context.js';
import { addDays, eachDate, formatDateFr, isoWeekday, isValidDate, mondayOf, weekdayLabelFr } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { priceForFamily } from './tariffs.js';
import { getBalances } from './wallet.js';
import { loadBookingHorizon } from './booking-horizon.js';
import { withLowBalance } from './low-balance-view.js';
import { glanceRange, weekGlance } from './planning-glance.js';

/** The guide's "Mon Planning" week grid, computed on the server: the clients only draw it (shape: api/parent.ts). */

/**
 * One week (Monday..Sunday) for a family's children, in a fixed number of queries whatever the
 * number of children: family, children, activities, tariffs (2), closures, bookings, capacity
 * counts, balances.
 */
export async function getWeekGrid(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; weekStart: string; childId?: number },
): Promise<WeekGridResponse> {
  if (!Number.isSafeInteger(input.familyId) || input.familyId <= 0) throw invalid('Famille invalide.');
  if (!isValidDate(input.weekStart)) throw invalid('Semaine invalide : date attendue au format AAAA-MM-JJ.');
  assertCanReadFamily(actor, input.familyId);
  const db = ctx.db;
  const now = ctx.clock.now();
  const weekStart = mondayOf(input.weekStart);
  const weekEnd = addDays(weekStart, 6);
  const dates = eachDate(weekStart, weekEnd);

  const family: { id: number; low_balance_threshold_cents: number } | undefined = await db('families')
    .where('id', input.familyId)
    .first('id', 'low_balance_threshold_cents');
  if (!family) throw notFound('Famille');

  const childQuery = db('children')
    .select('id', 'first_name', 'last_name', 'school_id', 'class_name')
    .where({ family_id: input.familyId, active: true })
    .orderBy([{ column: 'birth_date' }, { column: 'id' }]);
  if (input.childId != null) childQuery.andWhere('id', input.childId);
  const children: Array<{ id: number; first_name: string; last_name: string; school_id: number | null; class_name: string }> = await childQuery;
  if (input.childId != null && children.length === 0) {
    throw new DomainError('NOT_FOUND', 'Enfant introuvable dans cette famille.');
  }

  const activities: Array<ActivityRow & { code: string; wallet_id: number; period_label: string }> = await db('activities')
    .select('id', 'code', 'name', 'period_label', 'wallet_id', 'weekdays', 'capacity', 'book_days_before', 'book_until_time', 'cancel_days_before', 'cancel_until_time', 'active')
    .where('active', true)
    .orderBy([{ column: 'position' }, { column: 'id' }]);
  const activityIds = activities.map((a) => a.id);
  const childIds = children.map((c) => c.id);

  // The calendar and the bookings also cover the next deadlines' lookahead (core/planning-glance.ts).
  const range = glanceRange(weekStart, weekEnd, now);
  const [prices, calendar, bookings, counts, plainBalances, { horizon }] = await Promise.all([
    priceForFamily(db, input.familyId, activityIds),
    loadCalendar(db, range.from, range.to),
    childIds.length === 0
      ? Promise.resolve([] as Array<{ child_id: number; activity_id: number; date: string }>)
      : db('bookings')
          .select('child_id', 'activity_id', 'date')
          .whereIn('child_id', childIds)
          .whereBetween('date', [range.from, range.to])
          .where('status', 'booked') as Promise<Array<{ child_id: number; activity_id: number; date: string }>>,
    loadActivityDayCounts(db, activities.filter((a) => a.capacity != null).map((a) => a.id), weekStart, weekEnd),
    getBalances(db, input.familyId),
    loadBookingHorizon(db, now),
  ]);

  const booked = new Set(bookings.map((b) => `${b.child_id}|${b.activity_id}|${b.date}`));
  const rules = new Map(activities.map((a) => [a.id, activityRuleFromRow(a)]));
  // Which weekdays any activity serves: the phone's day cards skip the others (Wednesday, weekends).
  const servedWeekdays = new Set([...rules.values()].flatMap((r) => r.weekdays));

  const gridChildren: GridChild[] = children.map((child) => {
    const periods: GridPeriod[] = [];
    for (const a of activities) {
      let period = periods.find((p) => p.label === a.period_label);
      if (!period) {
        period = { label: a.period_label, rows: [] };
        periods.push(period);
      }
      const rule = rules.get(a.id)!;
      period.rows.push({
        activityId: a.id,
        activityCode: a.code,
        activityName: a.name,
        walletId: a.wallet_id,
        priceCents: prices.get(a.id) ?? null,
        cells: dates.map((date) => {
          const cell = cellState({
            activity: rule,
            date,
            booked: booked.has(`${child.id}|${a.id}|${date}`),
            now,
            calendar,
            schoolId: child.school_id,
            bookedCount: counts.get(`${a.id}|${date}`) ?? 0,
            horizon: horizon.lastDay,
          });
          const out: GridCell = { date, state: cell.state };
          if (cell.reason) out.reason = cell.reason;
          if (cell.bookDeadline) out.bookDeadline = cell.bookDeadline.toISOString();
          if (cell.cancelDeadline) out.cancelDeadline = cell.cancelDeadline.toISOString();
          return out;
        }),
      });
    }
    return {
      childId: child.id,
      firstName: child.first_name,
      lastName: child.last_name,
      schoolId: child.school_id ?? null,
      className: child.class_name,
      periods,
    };
  });

  const [balances, glance] = await Promise.all([
    withLowBalance(db, input.familyId, plainBalances, now, family.low_balance_threshold_cents),
    weekGlance(db, {
      familyId: input.familyId, weekStart, weekEnd, now, children, calendar, horizon, booked: bookings,
      activities: activities.map((a) => ({ rule: rules.get(a.id)!, name: a.name, walletId: a.wallet_id })),
      walletLabels: new Map(plainBalances.map((b) => [b.walletId, b.label])),
    }),
  ]);

  return {
    weekStart,
    weekEnd,
    previousWeek: addDays(weekStart, -7),
    nextWeek: addDays(weekStart, 7),
    days: dates.map((date) => ({ date, weekdayLabel: weekdayLabelFr(date), label: formatDateFr(date), served: servedWeekdays.has(isoWeekday(date)) })),
    children: gridChildren,
    balances,
    glance,
  };
}
