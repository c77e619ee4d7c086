import type { Knex } from 'knex';
import type { BookingAction, BookingResultResponse, CellOutcome } from '../api/parent.js';
import { audit } from './audit.js';
import { loadCalendar } from './calendar.js';
import {
  activityRuleFromRow,
  cellState,
  checkWalletPolicy,
  parseWeekdays,
  type ActivityRow,
  type ActivityRule,
  type CellState,
} from './booking-rules.js';
import type { Actor, CoreContext } from './context.js';
import { loadBookingHorizon, horizonNotice } from './booking-horizon.js';
import { addDays, daysBetween, eachDate, formatDateFr, isoWeekday, isValidDate, minDate, mondayOf } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { priceForFamily } from './tariffs.js';
import { writeTransaction } from './tx.js';
import { appendLedgerEntry, getBalances, insertedId, insufficientBalanceMessage } from './wallet.js';

/**
 * One batch engine behind every booking operation (one cell, a week, a day, a template week,
 * a subscription). A batch runs in one transaction: each cell is judged against the rules
 * (state, deadline, capacity), the wallet policy is checked on the batch's net debit per
 * wallet, and then — only if every wallet passes — the bookings and ledger entries are written.
 */

export interface BookingChange {
  childId: number;
  activityId: number;
  date: string;
  action: BookingAction;
}

// A cell's outcome and the batch's answer are the HTTP contract's shapes (api/parent.ts).
export type { BookingAction, CellOutcome };
export type BatchResult = BookingResultResponse;

export type BookingSource = 'parent' | 'staff' | 'subscription';

export interface EngineOptions {
  /** Staff only: book or cancel past the deadlines (never on a closed day, never beyond capacity). */
  override?: boolean;
  /** Why the deadline is set aside, written to the journal with each booking.override. */
  overrideReason?: string;
  source?: BookingSource;
  /** Batch helpers (week, template, subscription) skip closed days quietly: 'unchanged' instead of 'refused'. */
  skipClosed?: boolean;
}

/** The most cells one batch may touch: a template week over a school year with every activity. */
export const MAX_BATCH_CELLS = 3000;

// ---------------------------------------------------------------------------------------------
// Permissions

/** A parent reads only their own family; any staff member reads any family. */
export function assertCanReadFamily(actor: Actor, familyId: number): void {
  if (actor.kind === 'parent' && actor.familyId !== familyId) {
    throw new DomainError('FORBIDDEN', 'Accès refusé : ce dossier n\'est pas le vôtre.');
  }
}

/** Bookings are made by the family's parents, the secretariat, the admin, or the system (seed, jobs). */
export function assertCanBookFor(actor: Actor, familyId: number, override: boolean): void {
  assertCanReadFamily(actor, familyId);
  if (actor.kind === 'staff' && actor.role === 'restauration') {
    throw new DomainError('FORBIDDEN', 'Les réservations sont gérées par le secrétariat.');
  }
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

const cellKey = (childId: number, activityId: number, date: string): string => `${childId}|${activityId}|${date}`;

interface LoadedActivity {
  rule: ActivityRule;
  name: string;
  walletId: number;
}

async function loadActivities(trx: Knex, ids: readonly number[]): Promise<Map<number, LoadedActivity>> {
  const rows: Array<ActivityRow & { wallet_id: number }> = await trx('activities')
    .select('id', 'name', 'weekdays', 'capacity', 'book_days_before', 'book_until_time', 'cancel_days_before', 'cancel_until_time', 'active', 'wallet_id')
    .whereIn('id', [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { rule: activityRuleFromRow(r), name: r.name, walletId: r.wallet_id }]));
}

export async function applyBookingChanges(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; changes: BookingChange[]; override?: boolean; overrideReason?: string },
): Promise<BatchResult> {
  const override = input.override === true;
  if (!isId(input.familyId)) throw invalid('Famille invalide.');
  assertCanBookFor(actor, input.familyId, override);
  // A dérogation is an exception to the rules the parents live by: the journal says why.
  const overrideReason = typeof input.overrideReason === 'string' ? input.overrideReason.trim() : '';
  if (override && actor.kind === 'staff' && overrideReason.length < 3)
    throw invalid('Dérogation : indiquez le motif (au moins 3 caractères).', { field: 'overrideReason' });
  if (overrideReason.length > 200) throw invalid('Motif de la dérogation : 200 caractères au maximum.', { field: 'overrideReason' });
  const changes = validateChanges(input.changes);
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, (trx) =>
    applyBookingChangesInTransaction(trx, actor, input.familyId, changes, now, { override, overrideReason: overrideReason || undefined }),
  );
}

/**
 * The engine proper, inside a transaction the caller holds (subscriptions write their row and
 * their bookings together). Permissions must already be checked. A fixed number of queries.
 */
export async function applyBookingChangesInTransaction(
  trx: Knex,
  actor: Actor,
  familyId: number,
  rawChanges: BookingChange[],
  now: Date,
  options: EngineOptions = {},
): Promise<BatchResult> {
  const override = options.override === true;
  const source: BookingSource = options.source ?? (actor.kind === 'staff' ? 'staff' : 'parent');
  const staffUserId = actor.kind === 'staff' ? actor.staffUserId : null;

  // The same cell twice in a batch: the last word counts.
  const byKey = new Map<string, BookingChange>();
  for (const c of rawChanges) {
    const k = cellKey(c.childId, c.activityId, c.date);
    byKey.delete(k);
    byKey.set(k, c);
  }
  const changes = [...byKey.values()];
  if (changes.length === 0) return { results: [], balances: await getBalances(trx, familyId) };

  const family = await trx('families').where('id', familyId).first('id');
  if (!family) throw notFound('Famille');

  const childIds = [...new Set(changes.map((c) => c.childId))];
  const activityIds = [...new Set(changes.map((c) => c.activityId))];
  let minD = changes[0]!.date;
  let maxD = minD;
  for (const c of changes) {
    if (c.date < minD) minD = c.date;
    if (c.date > maxD) maxD = c.date;
  }

  const children: Array<{ id: number; family_id: number; first_name: string; school_id: number | null; active: number | boolean }> =
    await trx('children').select('id', 'family_id', 'first_name', 'school_id', 'active').whereIn('id', childIds);
  const childById = new Map(children.map((c) => [c.id, c]));
  for (const id of childIds) {
    const child = childById.get(id);
    if (!child || child.family_id !== familyId) throw new DomainError('NOT_FOUND', 'Enfant introuvable dans cette famille.');
    if (!child.active) throw invalid(`${child.first_name} n'est plus inscrit(e) aux services.`);
  }
  const activities = await loadActivities(trx, activityIds);
  for (const id of activityIds) if (!activities.has(id)) throw notFound('Activité');

  const calendar = await loadCalendar(trx, minD, maxD);
  const prices = await priceForFamily(trx, familyId, activityIds);
  const horizon = (await loadBookingHorizon(trx, now)).horizon.lastDay;

  const existingRows: Array<{ id: number; child_id: number; activity_id: number; date: string; status: string; price_cents: number; source: string; override: number | boolean }> =
    await trx('bookings')
      .select('id', 'child_id', 'activity_id', 'date', 'status', 'price_cents', 'source', 'override')
      .whereIn('child_id', childIds)
      .whereIn('activity_id', activityIds)
      .whereBetween('date', [minD, maxD]);
  const existing = new Map(existingRows.map((b) => [cellKey(b.child_id, b.activity_id, b.date), b]));

  const cappedIds = activityIds.filter((id) => activities.get(id)!.rule.capacity != null);
  const counts = new Map<string, number>();
  if (cappedIds.length > 0) {
    const rows: Array<{ activity_id: number; date: string; n: number | string }> = await trx('bookings')
      .select('activity_id', 'date')
      .count({ n: '*' })
      .whereIn('activity_id', cappedIds)
      .whereBetween('date', [minD, maxD])
      .where('status', 'booked')
      .groupBy('activity_id', 'date');
    for (const r of rows) counts.set(`${r.activity_id}|${r.date}`, Number(r.n));
  }

  // A day already pointed is settled by the attendance reconciliation, not by the booking.
  const attendanceRows: Array<{ child_id: number; activity_id: number; date: string }> = await trx('attendance')
    .select('child_id', 'activity_id', 'date')
    .whereIn('child_id', childIds)
    .whereIn('activity_id', activityIds)
    .whereBetween('date', [minD, maxD]);
  const pointed = new Set(attendanceRows.map((a) => cellKey(a.child_id, a.activity_id, a.date)));

  // What each booked cell has cost so far (debit, earlier refunds, reversals): a cancel refunds exactly that.
  const bookedIds = existingRows.filter((b) => b.status === 'booked').map((b) => b.id);
  const netByBooking = new Map<number, number>();
  if (bookedIds.length > 0) {
    const rows: Array<{ booking_id: number; total: number | string }> = await trx('ledger_entries')
      .select('booking_id')
      .sum({ total: 'amount_cents' })
      .whereIn('booking_id', bookedIds)
      .groupBy('booking_id');
    for (const r of rows) netByBooking.set(r.booking_id, Number(r.total));
  }

  const balancesBefore = await getBalances(trx, familyId);

  // 1. Judge every cell; nothing is written yet.
  interface Planned {
    change: BookingChange;
    activity: LoadedActivity;
    childName: string;
    schoolId: number | null;
    amountCents: number; // ledger amount: -price for a booking, +refund for a cancel
    priceCents: number;
    usedOverride: boolean;
    stateBefore: CellState;
  }
  const planned: Planned[] = [];
  const outcomes = new Map<string, CellOutcome>();
  const netDebitByWallet = new Map<number, number>();

  for (const change of changes) {
    const key = cellKey(change.childId, change.activityId, change.date);
    const activity = activities.get(change.activityId)!;
    const child = childById.get(change.childId)!;
    const row = existing.get(key);
    const booked = row?.status === 'booked';
    const countKey = `${change.activityId}|${change.date}`;
    const bookedCount = counts.get(countKey) ?? 0;
    const cell = cellState({ activity: activity.rule, date: change.date, booked, now, calendar, schoolId: child.school_id, bookedCount, horizon });
    const refuse = (message: string): void => {
      const quiet = options.skipClosed === true && cell.state === 'closed';
      outcomes.set(key, { ...change, outcome: quiet ? 'unchanged' : 'refused', state: cell.state, message });
    };

    if (change.action === 'book') {
      if (booked) {
        outcomes.set(key, { ...change, outcome: 'unchanged', state: cell.state });
        continue;
      }
      if (pointed.has(key)) {
        refuse('Le pointage de ce jour est déjà saisi : corrigez le pointage.');
        continue;
      }
      // Capacity holds even for staff: it is a safety limit (staff ratio, seats in the bus).
      const full = activity.rule.capacity != null && bookedCount >= activity.rule.capacity;
      const allowed = cell.state === 'open' || (override && cell.state === 'locked' && !full && !cell.beyondHorizon);
      if (!allowed) {
        refuse(override && full && cell.state === 'locked' ? 'complet' : (cell.reason ?? 'Réservation impossible.'));
        continue;
      }
      const price = prices.get(change.activityId);
      if (price == null) {
        refuse('Tarif non défini pour cette activité : contactez le secrétariat.');
        continue;
      }
      counts.set(countKey, bookedCount + 1);
      netDebitByWallet.set(activity.walletId, (netDebitByWallet.get(activity.walletId) ?? 0) + price);
      planned.push({
        change, activity, childName: child.first_name, schoolId: child.school_id,
        amountCents: -price, priceCents: price, usedOverride: cell.state !== 'open', stateBefore: cell.state,
      });
    } else {
      if (!booked) {
        outcomes.set(key, { ...change, outcome: 'unchanged', state: cell.state });
        continue;
      }
      if (pointed.has(key)) {
        refuse('Le pointage de ce jour est déjà saisi : corrigez le pointage.');
        continue;
      }
      // A booked day that became closed (a closure added later) is always refundable.
      const allowed = cell.state === 'booked' || cell.state === 'closed' || (override && cell.state === 'booked_locked');
      if (!allowed) {
        refuse(cell.reason ?? 'Annulation impossible.');
        continue;
      }
      const refund = Math.max(0, -(netByBooking.get(row!.id) ?? 0));
      counts.set(countKey, Math.max(0, bookedCount - 1));
      netDebitByWallet.set(activity.walletId, (netDebitByWallet.get(activity.walletId) ?? 0) - refund);
      planned.push({
        change, activity, childName: child.first_name, schoolId: child.school_id,
        amountCents: refund, priceCents: row!.price_cents, usedOverride: cell.state === 'booked_locked', stateBefore: cell.state,
      });
    }
  }

  // 2. The wallet policy on the batch's net debit per wallet: all or nothing.
  for (const [walletId, debit] of netDebitByWallet) {
    const wallet = balancesBefore.find((w) => w.walletId === walletId);
    if (!wallet) throw notFound('Porte-monnaie');
    const verdict = checkWalletPolicy(wallet.balanceCents, debit, wallet.overdraftLimitCents);
    if (!verdict.ok) {
      throw new DomainError('INSUFFICIENT_BALANCE', insufficientBalanceMessage(verdict.missingCents, wallet.label), {
        missingCents: verdict.missingCents,
        walletId,
        walletLabel: wallet.label,
        balanceCents: wallet.balanceCents,
        requiredCents: debit,
      });
    }
  }

  // 3. Write.
  const at = now.toISOString();
  for (const p of planned) {
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
      activity: activity.rule, date: change.date, booked: nowBooked, now, calendar, schoolId: p.schoolId,
      bookedCount: counts.get(`${change.activityId}|${change.date}`) ?? 0, horizon,
    });
    outcomes.set(key, { ...change, outcome: 'done', state: after.state });
    if (p.usedOverride) {
      await audit(trx, actor, {
        action: 'booking.override', entity: 'booking', entityId: bookingId, familyId,
        before: { status: row?.status ?? null, state: p.stateBefore, childId: change.childId, activityId: change.activityId, date: change.date },
        after: { status: nowBooked ? 'booked' : 'cancelled', state: after.state, amountCents: change.action === 'book' ? -p.priceCents : p.amountCents, ...(options.overrideReason ? { reason: options.overrideReason } : {}) },
        note: `${change.action === 'book' ? 'Réservation' : 'Annulation'} hors délai : ${label}${options.overrideReason ? ` — motif : ${options.overrideReason}` : ''}`,
      }, now);
    }
  }

  // Staff bookings within the deadlines leave one trace per batch.
  const plainDone = planned.filter((p) => !p.usedOverride);
  if (actor.kind === 'staff' && plainDone.length > 0) {
    await audit(trx, actor, {
      action: 'booking.batch', entity: 'family', entityId: familyId, familyId,
      after: plainDone.map((p) => ({ childId: p.change.childId, activityId: p.change.activityId, date: p.change.date, action: p.change.action, amountCents: p.change.action === 'book' ? -p.priceCents : p.amountCents })),
      note: `${plainDone.length} case(s) modifiée(s) au guichet`,
    }, now);
  }

  const results = changes.map((c) => outcomes.get(cellKey(c.childId, c.activityId, c.date))!);
  const balances = planned.length > 0 ? await getBalances(trx, familyId) : balancesBefore;
  return { results, balances };
}

// ---------------------------------------------------------------------------------------------
// Batch helpers of the planning grid

async function servedActivities(trx: Knex, activityIds?: readonly number[]): Promise<Map<number, LoadedActivity>> {
  if (activityIds) return loadActivities(trx, activityIds);
  const rows: Array<{ id: number }> = await trx('activities').select('id').where('active', true);
  return loadActivities(trx, rows.map((r) => r.id));
}

/** "toute la semaine": one activity, Monday to Sunday, on the days it is served. */
export async function bookWholeWeek(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; childId: number; activityId: number; weekStart: string; action: BookingAction; override?: boolean },
): Promise<BatchResult> {
  if (!isId(input.familyId) || !isId(input.childId) || !isId(input.activityId)) throw invalid('Enfant ou activité invalide.');
  if (!isValidDate(input.weekStart)) throw invalid('Semaine invalide.');
  if (input.action !== 'book' && input.action !== 'cancel') throw invalid('Action invalide : réserver ou annuler.');
  const override = input.override === true;
  assertCanBookFor(actor, input.familyId, override);
  const now = ctx.clock.now();
  const monday = mondayOf(input.weekStart);
  return writeTransaction(ctx.db, async (trx) => {
    const activity = (await loadActivities(trx, [input.activityId])).get(input.activityId);
    if (!activity) throw notFound('Activité');
    const changes = eachDate(monday, addDays(monday, 6))
      .filter((d) => activity.rule.weekdays.includes(isoWeekday(d)))
      .map((date) => ({ childId: input.childId, activityId: input.activityId, date, action: input.action }));
    if (changes.length === 0) return { results: [], balances: await getBalances(trx, input.familyId) };
    return applyBookingChangesInTransaction(trx, actor, input.familyId, changes, now, { override, skipClosed: true });
  });
}

/** "toutes les activités": every activity served that day, for one child. */
export async function bookAllActivitiesOfDay(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; childId: number; date: string; action: BookingAction; override?: boolean },
): Promise<BatchResult> {
  if (!isId(input.familyId) || !isId(input.childId)) throw invalid('Enfant invalide.');
  if (!isValidDate(input.date)) throw invalid('Date invalide.');
  if (input.action !== 'book' && input.action !== 'cancel') throw invalid('Action invalide : réserver ou annuler.');
  const override = input.override === true;
  assertCanBookFor(actor, input.familyId, override);
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const activities = await servedActivities(trx);
    const weekday = isoWeekday(input.date);
    const changes = [...activities.values()]
      .filter((a) => a.rule.weekdays.includes(weekday))
      .map((a) => ({ childId: input.childId, activityId: a.rule.id, date: input.date, action: input.action }));
    if (changes.length === 0) return { results: [], balances: await getBalances(trx, input.familyId) };
    return applyBookingChangesInTransaction(trx, actor, input.familyId, changes, now, { override, skipClosed: true });
  });
}

export interface TemplatePattern {
  activityId: number;
  /** ISO weekdays to book; the activity's other served days in the range are cancelled. */
  weekdays: number[];
}

/**
 * "semaine type": over [from, to], books the pattern's days and cancels the other served days
 * of those activities. Closed days are skipped; cells past their deadline are reported refused.
 */
export async function applyTemplateWeek(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; childId: number; from: string; to: string; pattern: TemplatePattern[] },
): Promise<BatchResult> {
  if (!isId(input.familyId) || !isId(input.childId)) throw invalid('Enfant invalide.');
  const { from, to } = validateRange(input.from, input.to);
  if (!Array.isArray(input.pattern) || input.pattern.length === 0) throw invalid('La semaine type est vide.');
  const pattern = input.pattern.map((p) => {
    if (!p || !isId(p.activityId)) throw invalid('Activité invalide dans la semaine type.');
    return { activityId: p.activityId, weekdays: validateWeekdays(p.weekdays) };
  });
  assertCanBookFor(actor, input.familyId, false);
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const activities = await loadActivities(trx, pattern.map((p) => p.activityId));
    // The semaine type stops at the mairie's horizon, and says so.
    const { horizon } = await loadBookingHorizon(trx, now);
    const notice = to > horizon.lastDay ? horizonNotice('La semaine type', horizon.lastDay) : undefined;
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
    if (changes.length === 0) return { results: [], balances: await getBalances(trx, input.familyId), ...(notice ? { notice } : {}) };
    if (changes.length > MAX_BATCH_CELLS) throw invalid(`Trop de cases en une fois (au plus ${MAX_BATCH_CELLS}).`);
    const batch = await applyBookingChangesInTransaction(trx, actor, input.familyId, changes, now, { skipClosed: true });
    return notice ? { ...batch, notice } : batch;
  });
}

export { parseWeekdays, validateRange, validateWeekdays };
