import type { Knex } from 'knex';
import type { BookingAction, CellOutcome, WalletBalanceView } from '../api/parent.js';
import type { Calendar } from './calendar.js';
import { activityRuleFromRow, cellStateFrom, checkWalletPolicy, type ActivityRow, type ActivityRule, type CellState } from './booking-rules.js';
import { DomainError, invalid, notFound } from './errors.js';
import { pick } from './tariffs.js';
import { planningReference } from './planning-reference.js';
import { getBalances } from './wallet.js';

/**
 * The plan of a booking batch: every cell judged against the rules (state, deadline, capacity,
 * pointage, tariff) and the wallets settled, without writing anything. The batch engine
 * (core/bookings.ts) writes what the plan selects; the preview (core/batch-preview.ts) says it
 * in words. Both go through planBatch, so a preview and the batch that follows agree to the cent.
 */

export interface BookingChange {
  childId: number;
  activityId: number;
  date: string;
  action: BookingAction;
}

export interface PlanOptions {
  /** Staff only: book or cancel past the deadlines (never on a closed day, never beyond capacity). */
  override?: boolean;
  /** Batch helpers (week, template, subscription) skip closed days quietly: 'unchanged' instead of 'refused'. */
  skipClosed?: boolean;
}

export interface LoadedActivity {
  rule: ActivityRule;
  name: string;
  walletId: number;
  position: number;
}

export interface ExistingBooking {
  id: number;
  status: string;
  price_cents: number;
}

/** A cell the rules let through: what it writes if the wallets allow. */
export interface PlannedCell {
  change: BookingChange;
  activity: LoadedActivity;
  childName: string;
  schoolId: number | null;
  /** Ledger amount: -price for a booking, +refund for a cancel. */
  amountCents: number;
  priceCents: number;
  usedOverride: boolean;
  stateBefore: CellState;
}

export interface WalletShortfall {
  walletId: number;
  walletLabel: string;
  missingCents: number;
  balanceCents: number;
  requiredCents: number;
}

export interface BatchPlan {
  familyId: number;
  /** The batch's cells, the same cell twice counting once (the last word). */
  changes: BookingChange[];
  outcomes: Map<string, CellOutcome>;
  planned: PlannedCell[];
  existing: Map<string, ExistingBooking>;
  childNames: Map<number, string>;
  activities: Map<number, LoadedActivity>;
  calendar: Calendar | null;
  /** The mairie's last bookable day (core/booking-horizon.ts). */
  horizon: string | null;
  /** Booked count per "activity|date" once the selected cells are written. */
  counts: Map<string, number>;
  balancesBefore: WalletBalanceView[];
  /** Wallets that cannot pay everything `planned` (empty when the batch is payable). */
  shortfalls: WalletShortfall[];
  /** What the wallets can pay: all of `planned`, or its payable part. */
  selected: PlannedCell[];
  /** Bookings of `planned` left out of `selected` for lack of credit. */
  leftForCredit: PlannedCell[];
}

export const cellKey = (childId: number, activityId: number, date: string): string => `${childId}|${activityId}|${date}`;

export async function loadActivities(trx: Knex, ids: readonly number[]): Promise<Map<number, LoadedActivity>> {
  const rows: Array<ActivityRow & { wallet_id: number; position: number }> = await trx('activities')
    .select('id', 'name', 'weekdays', 'capacity', 'book_days_before', 'book_until_time', 'cancel_days_before', 'cancel_until_time', 'active', 'wallet_id', 'position')
    .whereIn('id', [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { rule: activityRuleFromRow(r), name: r.name, walletId: r.wallet_id, position: r.position ?? 0 }]));
}

/**
 * Booked places per "activity|date", all families together, over [from, to]: one row per
 * activity-day from the counter the bookings' triggers keep (db/migrations/0019), so the cost
 * does not grow with the city.
 */
export async function loadActivityDayCounts(db: Knex, activityIds: readonly number[], from: string, to: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (activityIds.length === 0) return counts;
  const rows: Array<{ activity_id: number; service_date: string; booked_count: number }> = await db('activity_day_counts')
    .select('activity_id', 'service_date', 'booked_count')
    .whereIn('activity_id', [...new Set(activityIds)])
    .whereBetween('service_date', [from, to]);
  for (const r of rows) counts.set(`${r.activity_id}|${r.service_date}`, Number(r.booked_count));
  return counts;
}

/** Judges every cell and settles the wallets; writes nothing. A fixed number of queries. */
export async function planBatch(trx: Knex, familyId: number, rawChanges: readonly BookingChange[], now: Date, options: PlanOptions = {}): Promise<BatchPlan> {
  const override = options.override === true;
  const byKey = new Map<string, BookingChange>();
  for (const c of rawChanges) {
    const k = cellKey(c.childId, c.activityId, c.date);
    byKey.delete(k);
    byKey.set(k, c);
  }
  const changes = [...byKey.values()];
  const plan: BatchPlan = {
    familyId, changes, outcomes: new Map(), planned: [], existing: new Map(), childNames: new Map(), activities: new Map(),
    calendar: null, horizon: null, counts: new Map(), balancesBefore: [], shortfalls: [], selected: [], leftForCredit: [],
  };
  if (changes.length === 0) {
    plan.balancesBefore = await getBalances(trx, familyId);
    return plan;
  }

  const childIds = [...new Set(changes.map((c) => c.childId))];
  const activityIds = [...new Set(changes.map((c) => c.activityId))];
  let minD = changes[0]!.date;
  let maxD = minD;
  for (const c of changes) {
    if (c.date < minD) minD = c.date;
    if (c.date > maxD) maxD = c.date;
  }

  // What every family shares (activities, tariffs, calendar, horizon): one query while unchanged.
  const ref = await planningReference(trx, now);
  // The family with those of the batch's children that are its own.
  const familyRows: Array<{ quotient_familial: number | null; id: number | null; first_name: string; school_id: number | null; active: number | boolean }> =
    await trx('families as f')
      .leftJoin('children as c', (j) => {
        j.on('c.family_id', '=', 'f.id').onIn('c.id', childIds);
      })
      .where('f.id', familyId)
      .select('f.quotient_familial', 'c.id', 'c.first_name', 'c.school_id', 'c.active');
  if (familyRows.length === 0) throw notFound('Famille');
  const childById = new Map(familyRows.filter((c) => c.id != null).map((c) => [c.id!, c]));
  for (const id of childIds) {
    const child = childById.get(id);
    if (!child) throw new DomainError('NOT_FOUND', 'Enfant introuvable dans cette famille.');
    if (!child.active) throw invalid(`${child.first_name} n'est plus inscrit(e) aux services.`);
    plan.childNames.set(id, child.first_name);
  }
  const activities = new Map<number, LoadedActivity>();
  for (const id of activityIds) {
    const activity = ref.activities.get(id);
    if (!activity) throw notFound('Activité');
    activities.set(id, activity);
  }
  plan.activities = activities;
  const calendar = ref.calendar;
  plan.calendar = calendar;
  const horizon = ref.horizon.lastDay;
  plan.horizon = horizon;
  const qf = familyRows[0]!.quotient_familial ?? null;
  const prices = new Map<number, number>();
  for (const id of activityIds) {
    const tariff = pick(ref.tariffs.get(id) ?? [], qf);
    if (tariff) prices.set(id, tariff.price_cents);
  }

  // Each cell's booking with what it has cost so far (debit, earlier refunds, reversals): a cancel refunds exactly that.
  const existingRows: Array<ExistingBooking & { child_id: number; activity_id: number; date: string; net: number | string | null }> = await trx('bookings as b')
    .leftJoin('ledger_entries as l', (j) => {
      j.on('l.booking_id', '=', 'b.id').andOnVal('b.status', '=', 'booked');
    })
    .whereIn('b.child_id', childIds)
    .whereIn('b.activity_id', activityIds)
    .whereBetween('b.date', [minD, maxD])
    .groupBy('b.id', 'b.child_id', 'b.activity_id', 'b.date', 'b.status', 'b.price_cents')
    .select('b.id', 'b.child_id', 'b.activity_id', 'b.date', 'b.status', 'b.price_cents')
    .sum({ net: 'l.amount_cents' });
  const existing = new Map(existingRows.map((b) => [cellKey(b.child_id, b.activity_id, b.date), b]));
  plan.existing = existing;
  const netByBooking = new Map(existingRows.map((b) => [b.id, Number(b.net ?? 0)]));

  const cappedIds = activityIds.filter((id) => activities.get(id)!.rule.capacity != null);
  const counts = await loadActivityDayCounts(trx, cappedIds, minD, maxD);
  plan.counts = counts;

  // A day already pointed is settled by the attendance reconciliation, not by the booking.
  const attendanceRows: Array<{ child_id: number; activity_id: number; date: string }> = await trx('attendance')
    .select('child_id', 'activity_id', 'date')
    .whereIn('child_id', childIds)
    .whereIn('activity_id', activityIds)
    .whereBetween('date', [minD, maxD]);
  const pointed = new Set(attendanceRows.map((a) => cellKey(a.child_id, a.activity_id, a.date)));

  plan.balancesBefore = await getBalances(trx, familyId);

  for (const change of changes) {
    const key = cellKey(change.childId, change.activityId, change.date);
    const activity = activities.get(change.activityId)!;
    const child = childById.get(change.childId)!;
    const row = existing.get(key);
    const booked = row?.status === 'booked';
    const countKey = `${change.activityId}|${change.date}`;
    const bookedCount = counts.get(countKey) ?? 0;
    const cell = cellStateFrom(ref.facts(activity.rule, change.date, child.school_id), { activity: activity.rule, date: change.date, booked, now, bookedCount, horizon });
    const refuse = (message: string): void => {
      const quiet = options.skipClosed === true && cell.state === 'closed';
      plan.outcomes.set(key, { ...change, outcome: quiet ? 'unchanged' : 'refused', state: cell.state, message });
    };
    const base = { change, activity, childName: child.first_name, schoolId: child.school_id, stateBefore: cell.state };

    if (change.action === 'book') {
      if (booked) {
        plan.outcomes.set(key, { ...change, outcome: 'unchanged', state: cell.state });
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
      plan.planned.push({ ...base, amountCents: -price, priceCents: price, usedOverride: cell.state !== 'open' });
    } else {
      if (!booked) {
        plan.outcomes.set(key, { ...change, outcome: 'unchanged', state: cell.state });
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
      plan.planned.push({ ...base, amountCents: refund, priceCents: row!.price_cents, usedOverride: cell.state === 'booked_locked' });
    }
  }

  settleWallets(plan);
  return plan;
}

/**
 * The wallet policy on the batch's net debit per wallet. When a wallet cannot pay it all, the
 * payable part keeps that wallet's cancellations (their refunds count first) and its bookings
 * in date order up to the first that no longer fits; the other wallets keep everything.
 */
function settleWallets(plan: BatchPlan): void {
  const byWallet = new Map<number, PlannedCell[]>();
  for (const p of plan.planned) {
    const list = byWallet.get(p.activity.walletId) ?? [];
    list.push(p);
    byWallet.set(p.activity.walletId, list);
  }
  const left = new Set<PlannedCell>();
  for (const walletId of byWallet.keys()) if (!plan.balancesBefore.some((w) => w.walletId === walletId)) throw notFound('Porte-monnaie');
  // In the family's wallet order, so that the shortfalls read in the order of the balances.
  for (const wallet of plan.balancesBefore) {
    const walletId = wallet.walletId;
    const cells = byWallet.get(walletId);
    if (!cells) continue;
    const debit = -cells.reduce((s, p) => s + p.amountCents, 0);
    const verdict = checkWalletPolicy(wallet.balanceCents, debit, wallet.overdraftLimitCents);
    if (verdict.ok) continue;
    plan.shortfalls.push({ walletId, walletLabel: wallet.label, missingCents: verdict.missingCents, balanceCents: wallet.balanceCents, requiredCents: debit });
    let net = -cells.filter((p) => p.change.action === 'cancel').reduce((s, p) => s + p.amountCents, 0);
    const bookings = cells
      .filter((p) => p.change.action === 'book')
      .sort((a, b) => a.change.date.localeCompare(b.change.date) || a.activity.position - b.activity.position);
    let stopped = false;
    for (const p of bookings) {
      if (!stopped && checkWalletPolicy(wallet.balanceCents, net + p.priceCents, wallet.overdraftLimitCents).ok) {
        net += p.priceCents;
        continue;
      }
      stopped = true;
      left.add(p);
    }
  }
  plan.selected = plan.planned.filter((p) => !left.has(p));
  plan.leftForCredit = plan.planned.filter((p) => left.has(p));
  for (const p of plan.leftForCredit) {
    const countKey = `${p.change.activityId}|${p.change.date}`;
    plan.counts.set(countKey, Math.max(0, (plan.counts.get(countKey) ?? 1) - 1));
  }
}
