import type { Knex } from 'knex';
import type { GridCell, GridChild, GridPeriod, WeekGridResponse } from '../api/parent.js';
import { cellStateFrom } from './booking-rules.js';
import { loadActivityDayCounts } from './batch-plan.js';
import { authorize } from './policy.js';
import type { Actor, CoreContext } from './context.js';
import { addDays, eachDate, formatDateFr, isoWeekday, isValidDate, maxDate, minDate, mondayOf, parisToday, weekdayLabelFr } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { pick } from './tariffs.js';
import { getBalances } from './wallet.js';
import { COVER_WINDOW_DAYS, lowBalanceViews } from './low-balance-view.js';
import { glanceRange, weekGlance } from './planning-glance.js';
import { planningReference, type PlanningReference } from './planning-reference.js';
import { cachedGrid, gridVersions, keepGrid } from './planning-cache.js';

/** The guide's "Mon Planning" week grid, computed on the server: the clients only draw it (shape: api/parent.ts). */

interface FamilyChildRow {
  low_balance_threshold_cents: number;
  quotient_familial: number | null;
  id: number | null;
  first_name: string;
  last_name: string;
  school_id: number | null;
  class_name: string;
  active: number | boolean | null;
}

/** A booked cell of the family, with the net of its ledger entries when it lies in the week shown. */
interface FamilyBooking {
  child_id: number;
  activity_id: number;
  date: string;
  price_cents: number;
  net: number | string | null;
}

/**
 * One week (Monday..Sunday) for a family's children, whatever the number of children or the
 * size of the city. While nothing it shows changed (core/planning-cache.ts), two queries: the
 * versions of the planning and of the family, and the places taken of the week's limited
 * activity-days. Otherwise three more: the family with its children, its booked cells (grid,
 * glance and low-balance windows at once) and its balances; the reference (activities,
 * tariffs, calendar, horizon, deadlines: core/planning-reference.ts) is shared by all families.
 */
export async function getWeekGrid(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; weekStart: string; childId?: number },
): Promise<WeekGridResponse> {
  if (!Number.isSafeInteger(input.familyId) || input.familyId <= 0) throw invalid('Famille invalide.');
  if (!isValidDate(input.weekStart)) throw invalid('Semaine invalide : date attendue au format AAAA-MM-JJ.');
  if (input.childId != null && (!Number.isSafeInteger(input.childId) || input.childId <= 0)) throw new DomainError('NOT_FOUND', 'Enfant introuvable dans cette famille.');
  authorize(actor, 'family.read', { familyId: input.familyId });
  const db = ctx.db;
  const now = ctx.clock.now();
  const weekStart = mondayOf(input.weekStart);
  const weekEnd = addDays(weekStart, 6);
  const versions = await gridVersions(db, input.familyId);
  const ref = await planningReference(db, now, versions.planning);
  const limited = ref.active.filter((a) => a.rule.capacity != null).map((a) => a.rule.id);
  const counts = await loadActivityDayCounts(db, limited, weekStart, weekEnd);
  const taken = limited.flatMap((id) => eachDate(weekStart, weekEnd).map((d) => counts.get(`${id}|${d}`) ?? 0)).join(',');
  const slot = `${input.familyId}|${weekStart}|${input.childId ?? ''}`;
  const key = `${ref.version}|${versions.family}|${ref.today}|${taken}`;
  const kept = cachedGrid(db, slot, key, now);
  if (kept) return kept;
  const grid = await buildWeekGrid(db, ref, counts, now, { ...input, weekStart });
  keepGrid(db, slot, key, now, grid);
  return grid;
}

async function buildWeekGrid(
  db: Knex,
  ref: PlanningReference,
  counts: ReadonlyMap<string, number>,
  now: Date,
  input: { familyId: number; weekStart: string; childId?: number },
): Promise<WeekGridResponse> {
  const today = parisToday(now);
  const weekStart = input.weekStart;
  const weekEnd = addDays(weekStart, 6);
  const dates = eachDate(weekStart, weekEnd);
  const activities = ref.active;

  // The glance's lookahead (core/planning-glance.ts) and the low-balance window, read with the week.
  const range = glanceRange(weekStart, weekEnd, now);
  const cover = { from: addDays(today, -COVER_WINDOW_DAYS), to: addDays(today, COVER_WINDOW_DAYS - 1) };
  const [rows, familyBookings, plainBalances] = await Promise.all([
    db('families as f')
      .leftJoin('children as c', 'c.family_id', 'f.id')
      .where('f.id', input.familyId)
      .orderBy([{ column: 'c.birth_date' }, { column: 'c.id' }])
      .select('f.low_balance_threshold_cents', 'f.quotient_familial', 'c.id', 'c.first_name', 'c.last_name', 'c.school_id', 'c.class_name', 'c.active') as Promise<FamilyChildRow[]>,
    bookedCells(db, input.familyId, { from: minDate(range.from, cover.from), to: maxDate(range.to, cover.to) }, { from: weekStart, to: weekEnd }),
    getBalances(db, input.familyId),
  ]);
  const family = rows[0];
  if (!family) throw notFound('Famille');
  const children = rows.filter((c): c is FamilyChildRow & { id: number } => c.id != null && Boolean(c.active) && (input.childId == null || c.id === input.childId));
  if (input.childId != null && children.length === 0) {
    throw new DomainError('NOT_FOUND', 'Enfant introuvable dans cette famille.');
  }

  const shown = new Set(children.map((c) => c.id));
  const bookings = familyBookings.filter((b) => shown.has(b.child_id) && b.date >= range.from && b.date <= range.to);
  const booked = new Set(bookings.map((b) => `${b.child_id}|${b.activity_id}|${b.date}`));
  // Which weekdays any activity serves: the phone's day cards skip the others (Wednesday, weekends).
  const servedWeekdays = new Set(activities.flatMap((a) => a.rule.weekdays));
  const horizon = ref.horizon;

  const gridChildren: GridChild[] = children.map((child) => {
    const periods: GridPeriod[] = [];
    for (const a of activities) {
      let period = periods.find((p) => p.label === a.periodLabel);
      if (!period) {
        period = { label: a.periodLabel, rows: [] };
        periods.push(period);
      }
      const price = pick(ref.tariffs.get(a.rule.id) ?? [], family.quotient_familial ?? null);
      period.rows.push({
        activityId: a.rule.id,
        activityCode: a.code,
        activityName: a.name,
        walletId: a.walletId,
        priceCents: price?.price_cents ?? null,
        cells: dates.map((date) => {
          const cell = cellStateFrom(ref.facts(a.rule, date, child.school_id), {
            activity: a.rule,
            date,
            booked: booked.has(`${child.id}|${a.rule.id}|${date}`),
            now,
            bookedCount: counts.get(`${a.rule.id}|${date}`) ?? 0,
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

  return {
    weekStart,
    weekEnd,
    previousWeek: addDays(weekStart, -7),
    nextWeek: addDays(weekStart, 7),
    days: dates.map((date) => ({ date, weekdayLabel: weekdayLabelFr(date), label: formatDateFr(date), served: servedWeekdays.has(isoWeekday(date)) })),
    children: gridChildren,
    balances: lowBalanceViews(plainBalances, coverCost(familyBookings, cover, ref.activities), family.low_balance_threshold_cents),
    glance: weekGlance({
      weekStart, weekEnd, now, children, horizon, booked: bookings, facts: ref.facts, calendar: ref.calendar,
      charged: bookings.filter((b) => shown.has(b.child_id) && b.date >= weekStart && b.date <= weekEnd),
      activities: activities.map((a) => ({ rule: a.rule, name: a.name, walletId: a.walletId })),
      walletLabels: new Map(plainBalances.map((b) => [b.walletId, b.label])),
    }),
  };
}

/**
 * The family's booked cells over `span` (every child, archived ones too, as the low-balance
 * average counts them), each with the net of its ledger entries when it lies in `week`. By the
 * family's child ids (a subquery), so that SQLite walks the bookings' child index.
 */
function bookedCells(db: Knex, familyId: number, span: { from: string; to: string }, week: { from: string; to: string }): Promise<FamilyBooking[]> {
  return db('bookings as b')
    .leftJoin('ledger_entries as l', (j) => {
      j.on('l.booking_id', '=', 'b.id').andOnBetween('b.date', [week.from, week.to]);
    })
    .whereIn('b.child_id', db('children').select('id').where('family_id', familyId))
    .andWhere('b.status', 'booked')
    .whereBetween('b.date', [span.from, span.to])
    .groupBy('b.id', 'b.child_id', 'b.activity_id', 'b.date', 'b.price_cents')
    .select('b.child_id', 'b.activity_id', 'b.date', 'b.price_cents')
    .sum({ net: 'l.amount_cents' }) as Promise<FamilyBooking[]>;
}

/** Per wallet, what the booked days of the low-balance window cost (core/low-balance-view.ts). */
function coverCost(
  rows: readonly FamilyBooking[],
  cover: { from: string; to: string },
  activities: ReadonlyMap<number, { walletId: number }>,
): Map<number, { cents: number; days: number }> {
  const byWallet = new Map<number, { cents: number; dates: Set<string> }>();
  for (const r of rows) {
    const walletId = activities.get(r.activity_id)?.walletId;
    if (walletId == null || r.date < cover.from || r.date > cover.to) continue;
    const w = byWallet.get(walletId) ?? { cents: 0, dates: new Set<string>() };
    w.cents += r.price_cents;
    w.dates.add(r.date);
    byWallet.set(walletId, w);
  }
  return new Map([...byWallet].map(([id, w]) => [id, { cents: w.cents, days: w.dates.size }]));
}
