import type { Knex } from 'knex';
import type { BookingAction, BookingResultResponse, CellOutcome } from '../api/parent.js';
import { audit } from './audit.js';
import { doneSummary } from './batch-summary.js';
import { cellKey, loadActivities, planBatch, type BatchPlan, type BookingChange, type PlanOptions } from './batch-plan.js';
import { warmPlanningReference } from './planning-reference.js';
import { cellState, parseWeekdays } from './booking-rules.js';
import type { Actor, CoreContext } from './context.js';
import { loadBookingHorizon, horizonNotice } from './booking-horizon.js';
import { addDays, daysBetween, eachDate, formatDateFr, isoWeekday, isValidDate, minDate, mondayOf } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorize } from './policy.js';
import { writeTransaction, lockActivityDays } from './tx.js';
import { appendLedgerEntry, getBalances, insertedId, insufficientBalanceMessage } from './wallet.js';

/**
 * One batch engine behind every booking operation (one cell, a week, a day, a template week,
 * a subscription). A batch runs in one transaction: its plan (core/batch-plan.ts) judges each
 * cell against the rules (state, deadline, capacity) and the wallet policy on the batch's net
 * debit per wallet; then, only if every wallet passes (or, asked for, only the part they can
 * pay), the bookings and ledger entries are written.
 */

// A cell's outcome and the batch's answer are the HTTP contract's shapes (api/parent.ts).
export type { BookingAction, BookingChange, CellOutcome };
export type BatchResult = BookingResultResponse;

export type BookingSource = 'parent' | 'staff' | 'subscription';

export interface EngineOptions extends PlanOptions {
  /** Why the deadline is set aside, written to the journal with each booking.override. */
  overrideReason?: string;
  source?: BookingSource;
  /** Book only what the wallets can pay (the plan's payable part) instead of refusing the batch. */
  onlyPayable?: boolean;
}

/** The most cells one batch may touch: a template week over a school year with every activity. */
export const MAX_BATCH_CELLS = 3000;

// ---------------------------------------------------------------------------------------------
// Permissions

/**
 * Bookings are changed by the family's parents, the desk, or the system (seed, jobs), as the
 * policy says; setting a deadline aside is the staff's alone, a rule beyond the role.
 */
function authorizeBooking(actor: Actor, familyId: number, override: boolean): void {
  authorize(actor, 'bookings.change', { familyId });
  if (override && actor.kind !== 'staff') {
    throw new DomainError('FORBIDDEN', 'Seul le secrétariat peut passer outre les dates limites.');
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

function isId(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) > 0;
}

function validateChanges(changes: unknown): BookingChange[] {
  if (!Array.isArray(changes) || changes.length === 0) throw invalid('Aucune case à modifier.');
  if (changes.length > MAX_BATCH_CELLS) throw invalid(`Trop de cases en une fois (au plus ${MAX_BATCH_CELLS}).`);
  return changes.map((c: Partial<BookingChange>) => {
    if (!c || !isId(c.childId) || !isId(c.activityId)) throw invalid('Enfant ou activité invalide.');
    if (!isValidDate(c.date)) throw invalid(`Date invalide : ${String(c.date)}.`);
    if (c.action !== 'book' && c.action !== 'cancel') throw invalid('Action invalide : réserver ou annuler.');
    return { childId: c.childId, activityId: c.activityId, date: c.date, action: c.action };
  });
}

function validateRange(from: unknown, to: unknown, maxDays = 366): { from: string; to: string } {
  if (!isValidDate(from) || !isValidDate(to)) throw invalid('Période invalide : dates attendues au format AAAA-MM-JJ.');
  if (to < from) throw invalid('La date de fin doit suivre la date de début.');
  if (daysBetween(from, to) >= maxDays) throw invalid(`La période ne peut pas dépasser ${maxDays} jours.`);
  return { from, to };
}

function validateWeekdays(days: unknown): number[] {
  if (!Array.isArray(days) || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw invalid('Jours de la semaine invalides (1 = lundi … 7 = dimanche).');
  }
  return [...new Set(days as number[])].sort();
}

// ---------------------------------------------------------------------------------------------
// The engine


/**
 * A batch checked and ready to plan: the family, how its cells are found and the engine's
 * options. The preview (core/batch-preview.ts) and the batch itself share it, so both judge
 * the same cells under the same options.
 */
export interface PreparedBatch {
  familyId: number;
  options: EngineOptions;
  cells(trx: Knex, now: Date): Promise<BookingChange[]>;
  /** Set by cells() when the batch stops short of what was asked (at the booking horizon). */
  notice?: string;
}

/** Cells chosen one by one (the grid's taps, or the console's list). */
export function prepareChanges(
  actor: Actor,
  input: { familyId: number; changes: BookingChange[]; override?: boolean; overrideReason?: string },
): PreparedBatch {
  const override = input.override === true;
  if (!isId(input.familyId)) throw invalid('Famille invalide.');
  authorizeBooking(actor, input.familyId, override);
  // A dérogation is an exception to the rules the parents live by: the journal says why.
  const overrideReason = typeof input.overrideReason === 'string' ? input.overrideReason.trim() : '';
  if (override && actor.kind === 'staff' && overrideReason.length < 3)
    throw invalid('Dérogation : indiquez le motif (au moins 3 caractères).', { field: 'overrideReason' });
  if (overrideReason.length > 200) throw invalid('Motif de la dérogation : 200 caractères au maximum.', { field: 'overrideReason' });
  const changes = validateChanges(input.changes);
  return { familyId: input.familyId, options: { override, overrideReason: overrideReason || undefined }, cells: () => Promise.resolve(changes) };
}

/** Writes a prepared batch in one transaction; `onlyPayable` books only what the wallets can pay now. */
export async function runPreparedBatch(ctx: CoreContext, actor: Actor, batch: PreparedBatch, onlyPayable?: boolean): Promise<BatchResult> {
  const now = ctx.clock.now();
  // Read outside the transaction, the shared part of the plan can be remembered (core/planning-reference.ts).
  await warmPlanningReference(ctx.db, now);
  return writeTransaction(ctx.db, async (trx) => {
    const changes = await batch.cells(trx, now);
    const notice = batch.notice ? { notice: batch.notice } : {};
    if (changes.length === 0) return { results: [], balances: await getBalances(trx, batch.familyId), ...notice };
    return { ...(await applyBookingChangesInTransaction(trx, actor, batch.familyId, changes, now, { ...batch.options, onlyPayable: onlyPayable === true })), ...notice };
  }, { familyId: batch.familyId });
}

export async function applyBookingChanges(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; changes: BookingChange[]; override?: boolean; overrideReason?: string; onlyPayable?: boolean },
): Promise<BatchResult> {
  return runPreparedBatch(ctx, actor, prepareChanges(actor, input), input.onlyPayable);
}

/**
 * The engine proper, inside a transaction the caller holds (subscriptions write their row and
 * their bookings together). Permissions must already be checked. A fixed number of queries,
 * then one write per cell. The plan (core/batch-plan.ts) decides; this writes what it selects:
 * everything, or with `onlyPayable` the part the wallets can pay, judged now.
 */
export async function applyBookingChangesInTransaction(
  trx: Knex,
  actor: Actor,
  familyId: number,
  rawChanges: BookingChange[],
  now: Date,
  options: EngineOptions = {},
): Promise<BatchResult> {
  const source: BookingSource = options.source ?? (actor.kind === 'staff' ? 'staff' : 'parent');
  const staffUserId = actor.kind === 'staff' ? actor.staffUserId : null;
  // Capacity is counted over every family: on PostgreSQL, where families write side by side,
  // the cells' activity-days are locked before their bookings are counted.
  await lockActivityDays(trx, rawChanges);
  const plan = await planBatch(trx, familyId, rawChanges, now, options);
  if (plan.changes.length === 0) return { results: [], balances: plan.balancesBefore };

  // Without onlyPayable, the wallet policy is all or nothing.
  const short = plan.shortfalls[0];
  if (short && options.onlyPayable !== true) {
    throw new DomainError('INSUFFICIENT_BALANCE', insufficientBalanceMessage(short.missingCents, short.walletLabel), { ...short });
  }
  for (const p of plan.leftForCredit) {
    const { change } = p;
    const wallet = plan.shortfalls.find((w) => w.walletId === p.activity.walletId)!;
    plan.outcomes.set(cellKey(change.childId, change.activityId, change.date), {
      ...change, outcome: 'refused', state: p.stateBefore, message: `Non réservé : solde insuffisant sur « ${wallet.walletLabel} »`,
    });
  }

  const { existing, counts, calendar } = plan;
  const at = now.toISOString();
  for (const p of plan.selected) {
    const { change, activity } = p;
    const key = cellKey(change.childId, change.activityId, change.date);
    const row = existing.get(key);
    const label = `${activity.name} — ${p.childName} — ${formatDateFr(change.date)}`;
    let bookingId: number;
    if (change.action === 'book') {
      const values = {
        status: 'booked', price_cents: p.priceCents, source, staff_user_id: staffUserId,
        override: p.usedOverride, updated_at: at,
      };
      if (row) {
        await trx('bookings').where('id', row.id).update(values);
        bookingId = row.id;
      } else {
        const [ins] = await trx('bookings')
          .insert({ child_id: change.childId, activity_id: change.activityId, date: change.date, created_at: at, ...values })
          .returning('id');
        bookingId = insertedId(ins);
      }
      if (p.priceCents !== 0) {
        await appendLedgerEntry(trx, {
          familyId, walletId: activity.walletId, amountCents: -p.priceCents, kind: 'booking_debit', label,
          childId: change.childId, activityId: change.activityId, serviceDate: change.date, bookingId, staffUserId,
        }, now);
      }
    } else {
      bookingId = row!.id;
      await trx('bookings').where('id', bookingId).update({ status: 'cancelled', staff_user_id: staffUserId, override: p.usedOverride, updated_at: at });
      if (p.amountCents !== 0) {
        await appendLedgerEntry(trx, {
          familyId, walletId: activity.walletId, amountCents: p.amountCents, kind: 'cancellation_refund', label: `Annulation ${label}`,
          childId: change.childId, activityId: change.activityId, serviceDate: change.date, bookingId, staffUserId,
        }, now);
      }
    }
    const nowBooked = change.action === 'book';
    const after = cellState({
      activity: activity.rule, date: change.date, booked: nowBooked, now, calendar: calendar!, schoolId: p.schoolId,
      bookedCount: counts.get(`${change.activityId}|${change.date}`) ?? 0, horizon: plan.horizon,
    });
    plan.outcomes.set(key, { ...change, outcome: 'done', state: after.state });
    if (p.usedOverride) {
      await audit(trx, actor, {
        action: 'booking.override', entity: 'booking', entityId: bookingId, familyId,
        before: { status: row?.status ?? null, state: p.stateBefore, childId: change.childId, activityId: change.activityId, date: change.date },
        after: { status: nowBooked ? 'booked' : 'cancelled', state: after.state, amountCents: p.amountCents, ...(options.overrideReason ? { reason: options.overrideReason } : {}) },
        note: `${change.action === 'book' ? 'Réservation' : 'Annulation'} hors délai : ${label}${options.overrideReason ? ` — motif : ${options.overrideReason}` : ''}`,
      }, now);
    }
  }

  // Staff bookings within the deadlines leave one trace per batch.
  const plainDone = plan.selected.filter((p) => !p.usedOverride);
  if (actor.kind === 'staff' && plainDone.length > 0) {
    await audit(trx, actor, {
      action: 'booking.batch', entity: 'family', entityId: familyId, familyId,
      after: plainDone.map((p) => ({ childId: p.change.childId, activityId: p.change.activityId, date: p.change.date, action: p.change.action, amountCents: p.amountCents })),
      note: `${plainDone.length} case(s) modifiée(s) au guichet`,
    }, now);
  }

  const results = plan.changes.map((c) => plan.outcomes.get(cellKey(c.childId, c.activityId, c.date))!);
  return { results, balances: balancesAfter(plan), summary: doneSummary(plan) };
}

/** The balances once the selected cells are written: the plan's, moved by what their entries said (no second read). */
function balancesAfter(plan: BatchPlan): BatchResult['balances'] {
  const moved = new Map<number, number>();
  for (const p of plan.selected) moved.set(p.activity.walletId, (moved.get(p.activity.walletId) ?? 0) + p.amountCents);
  return plan.balancesBefore.map((b) => ({ ...b, balanceCents: b.balanceCents + (moved.get(b.walletId) ?? 0) }));
}

// ---------------------------------------------------------------------------------------------
// Batch helpers of the planning grid

async function servedActivities(trx: Knex, activityIds?: readonly number[]) {
  if (activityIds) return loadActivities(trx, activityIds);
  const rows: Array<{ id: number }> = await trx('activities').select('id').where('active', true);
  return loadActivities(trx, rows.map((r) => r.id));
}

type WeekInput = { familyId: number; childId: number; activityId: number; weekStart: string; action: BookingAction; override?: boolean };

/** "toute la semaine": one activity, Monday to Sunday, on the days it is served. */
export function prepareWholeWeek(actor: Actor, input: WeekInput): PreparedBatch {
  if (!isId(input.familyId) || !isId(input.childId) || !isId(input.activityId)) throw invalid('Enfant ou activité invalide.');
  if (!isValidDate(input.weekStart)) throw invalid('Semaine invalide.');
  if (input.action !== 'book' && input.action !== 'cancel') throw invalid('Action invalide : réserver ou annuler.');
  const override = input.override === true;
  authorizeBooking(actor, input.familyId, override);
  const monday = mondayOf(input.weekStart);
  return {
    familyId: input.familyId,
    options: { override, skipClosed: true },
    async cells(trx) {
      const activity = (await loadActivities(trx, [input.activityId])).get(input.activityId);
      if (!activity) throw notFound('Activité');
      return eachDate(monday, addDays(monday, 6))
        .filter((d) => activity.rule.weekdays.includes(isoWeekday(d)))
        .map((date) => ({ childId: input.childId, activityId: input.activityId, date, action: input.action }));
    },
  };
}

export async function bookWholeWeek(ctx: CoreContext, actor: Actor, input: WeekInput & { onlyPayable?: boolean }): Promise<BatchResult> {
  return runPreparedBatch(ctx, actor, prepareWholeWeek(actor, input), input.onlyPayable);
}

type DayInput = { familyId: number; childId: number; date: string; action: BookingAction; override?: boolean };

/** "toutes les activités": every activity served that day, for one child. */
export function prepareDayBatch(actor: Actor, input: DayInput): PreparedBatch {
  if (!isId(input.familyId) || !isId(input.childId)) throw invalid('Enfant invalide.');
  if (!isValidDate(input.date)) throw invalid('Date invalide.');
  if (input.action !== 'book' && input.action !== 'cancel') throw invalid('Action invalide : réserver ou annuler.');
  const override = input.override === true;
  authorizeBooking(actor, input.familyId, override);
  return {
    familyId: input.familyId,
    options: { override, skipClosed: true },
    async cells(trx) {
      const weekday = isoWeekday(input.date);
      return [...(await servedActivities(trx)).values()]
        .filter((a) => a.rule.weekdays.includes(weekday))
        .map((a) => ({ childId: input.childId, activityId: a.rule.id, date: input.date, action: input.action }));
    },
  };
}

export async function bookAllActivitiesOfDay(ctx: CoreContext, actor: Actor, input: DayInput & { onlyPayable?: boolean }): Promise<BatchResult> {
  return runPreparedBatch(ctx, actor, prepareDayBatch(actor, input), input.onlyPayable);
}

export interface TemplatePattern {
  activityId: number;
  /** ISO weekdays to book; the activity's other served days in the range are cancelled. */
  weekdays: number[];
}

type TemplateInput = { familyId: number; childId: number; from: string; to: string; pattern: TemplatePattern[] };

/**
 * "semaine type": over [from, to], books the pattern's days and cancels the other served days
 * of those activities. Closed days are skipped; cells past their deadline are reported refused.
 */
export function prepareTemplateWeek(actor: Actor, input: TemplateInput): PreparedBatch {
  if (!isId(input.familyId) || !isId(input.childId)) throw invalid('Enfant invalide.');
  const { from, to } = validateRange(input.from, input.to);
  if (!Array.isArray(input.pattern) || input.pattern.length === 0) throw invalid('La semaine type est vide.');
  const pattern = input.pattern.map((p) => {
    if (!p || !isId(p.activityId)) throw invalid('Activité invalide dans la semaine type.');
    return { activityId: p.activityId, weekdays: validateWeekdays(p.weekdays) };
  });
  authorizeBooking(actor, input.familyId, false);
  const batch: PreparedBatch = {
    familyId: input.familyId,
    options: { skipClosed: true },
    async cells(trx, now) {
      const activities = await loadActivities(trx, pattern.map((p) => p.activityId));
      // The semaine type stops at the mairie's horizon, and says so.
      const { horizon } = await loadBookingHorizon(trx, now);
      batch.notice = to > horizon.lastDay ? horizonNotice('La semaine type', horizon.lastDay) : undefined;
      const changes: BookingChange[] = [];
      for (const date of eachDate(from, minDate(to, horizon.lastDay))) {
        const weekday = isoWeekday(date);
        for (const p of pattern) {
          const activity = activities.get(p.activityId);
          if (!activity) throw notFound('Activité');
          if (!activity.rule.weekdays.includes(weekday)) continue;
          changes.push({ childId: input.childId, activityId: p.activityId, date, action: p.weekdays.includes(weekday) ? 'book' : 'cancel' });
        }
      }
      if (changes.length > MAX_BATCH_CELLS) throw invalid(`Trop de cases en une fois (au plus ${MAX_BATCH_CELLS}).`);
      return changes;
    },
  };
  return batch;
}

export async function applyTemplateWeek(ctx: CoreContext, actor: Actor, input: TemplateInput & { onlyPayable?: boolean }): Promise<BatchResult> {
  return runPreparedBatch(ctx, actor, prepareTemplateWeek(actor, input), input.onlyPayable);
}

export { parseWeekdays, validateRange, validateWeekdays };
