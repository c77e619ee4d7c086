import type { SubscriptionChangeResponse, SubscriptionView } from '../api/parent.js';
import {
  applyBookingChangesInTransaction,
  parseWeekdays,
  validateRange,
  validateWeekdays,
  type BookingChange,
  type PreparedBatch,
} from './bookings.js';
import type { Actor, CoreContext } from './context.js';
import { loadBookingHorizon, horizonNotice } from './booking-horizon.js';
import { horizonReason } from './booking-rules.js';
import { addDays, eachDate, isoWeekday, isValidDate, maxDate, minDate, parisToday } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorize } from './policy.js';
import { writeTransaction } from './tx.js';
import { getBalances, insertedId } from './wallet.js';

/**
 * "Je gère mes abonnements": a standing order (child, activity, weekdays, period) expanded into
 * bookings through the batch engine, in the same transaction as the subscription row, so a
 * refusal for lack of credit leaves neither.
 */

export async function listSubscriptions(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; childId?: number },
): Promise<SubscriptionView[]> {
  authorize(actor, 'family.read', { familyId: input.familyId });
  const today = parisToday(ctx.clock.now());
  const q = ctx.db('subscriptions as s')
    .join('children as c', 'c.id', 's.child_id')
    .join('activities as a', 'a.id', 's.activity_id')
    .where('c.family_id', input.familyId)
    .select('s.*', 'c.first_name as child_first_name', 'a.name as activity_name')
    .orderBy([{ column: 's.date_from', order: 'desc' }, { column: 's.id', order: 'desc' }]);
  if (input.childId != null) q.andWhere('s.child_id', input.childId);
  const rows: Array<Record<string, unknown>> = await q;
  return rows.map((r) => ({
    id: r.id as number,
    childId: r.child_id as number,
    childFirstName: r.child_first_name as string,
    activityId: r.activity_id as number,
    activityName: r.activity_name as string,
    weekdays: parseWeekdays(r.weekdays as string),
    from: r.date_from as string,
    to: r.date_to as string,
    createdAt: r.created_at as string,
    endedAt: (r.ended_at as string | null) ?? null,
    active: r.ended_at == null && (r.date_to as string) >= today,
  }));
}

type SubscriptionInput = { familyId: number; childId: number; activityId: number; weekdays: number[]; from: string; to: string };

/**
 * A new subscription's bookings as a prepared batch: the preview and createSubscription judge
 * the same cells. Its cells() checks the child and the activity against the database.
 */
export function prepareSubscription(actor: Actor, input: SubscriptionInput, now: Date): PreparedBatch & { weekdays: number[]; from: string; to: string } {
  // `to` becomes the horizon's last day when the subscription runs beyond it (set by cells()).
  const { from, to } = validateRange(input.from, input.to);
  const weekdays = validateWeekdays(input.weekdays);
  if (weekdays.length === 0) throw invalid('Choisissez au moins un jour de la semaine.');
  if (!Number.isSafeInteger(input.childId) || !Number.isSafeInteger(input.activityId)) throw invalid('Enfant ou activité invalide.');
  authorize(actor, 'bookings.change', { familyId: input.familyId });
  const today = parisToday(now);
  if (to < today) throw invalid('La période de l\'abonnement est déjà passée.');
  const prepared: PreparedBatch & { weekdays: number[]; from: string; to: string } = {
    familyId: input.familyId,
    options: { source: 'subscription', skipClosed: true },
    weekdays,
    from,
    to,
    async cells(trx) {
      const child = await trx('children').where('id', input.childId).first('id', 'family_id');
      if (!child || child.family_id !== input.familyId) throw new DomainError('NOT_FOUND', 'Enfant introuvable dans cette famille.');
      const activity = await trx('activities').where('id', input.activityId).first('id', 'weekdays', 'active');
      if (!activity || !activity.active) throw notFound('Activité');
      const served = parseWeekdays(activity.weekdays);
      if (weekdays.some((d) => !served.includes(d))) throw invalid('L\'activité n\'a pas lieu certains des jours choisis.');
      // The subscription stops at the mairie's booking horizon, and says so.
      const { horizon } = await loadBookingHorizon(trx, now);
      if (maxDate(from, today) > horizon.lastDay) throw invalid(`Abonnement : ${horizonReason(horizon.lastDay)}.`, { field: 'from' });
      prepared.to = minDate(to, horizon.lastDay);
      prepared.notice = to > prepared.to ? horizonNotice('L’abonnement', prepared.to) : undefined;
      return eachDate(maxDate(from, today), prepared.to)
        .filter((d) => weekdays.includes(isoWeekday(d)))
        .map((date) => ({ childId: input.childId, activityId: input.activityId, date, action: 'book' as const }));
    },
  };
  return prepared;
}

/** Saves the subscription and books its days in one transaction; `onlyPayable` books the payable part. */
export async function createSubscription(
  ctx: CoreContext,
  actor: Actor,
  input: SubscriptionInput & { onlyPayable?: boolean },
): Promise<SubscriptionChangeResponse> {
  const now = ctx.clock.now();
  const prepared = prepareSubscription(actor, input, now);
  const id = await writeTransaction(ctx.db, async (trx) => {
    const changes: BookingChange[] = await prepared.cells(trx, now);
    const [row] = await trx('subscriptions')
      .insert({ child_id: input.childId, activity_id: input.activityId, weekdays: prepared.weekdays.join(','), date_from: prepared.from, date_to: prepared.to, created_at: now.toISOString() })
      .returning('id');
    const subscriptionId = insertedId(row);
    const batch = changes.length > 0
      ? await applyBookingChangesInTransaction(trx, actor, input.familyId, changes, now, { ...prepared.options, onlyPayable: input.onlyPayable === true })
      : { results: [], balances: await getBalances(trx, input.familyId) };
    return { subscriptionId, batch };
  }, { familyId: input.familyId });
  const [subscription] = (await listSubscriptions(ctx, actor, { familyId: input.familyId, childId: input.childId })).filter((s) => s.id === id.subscriptionId);
  return { subscription: subscription!, batch: prepared.notice ? { ...id.batch, notice: prepared.notice } : id.batch };
}

/**
 * Ends a subscription on `from` (its last day becomes the day before) and cancels the bookings
 * it made from that day on, where cancelling is still allowed; locked days stay booked.
 */
export async function endSubscription(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; subscriptionId: number; from: string },
): Promise<SubscriptionChangeResponse> {
  if (!isValidDate(input.from)) throw invalid('Date de fin invalide.');
  authorize(actor, 'bookings.change', { familyId: input.familyId });
  const now = ctx.clock.now();
  const result = await writeTransaction(ctx.db, async (trx) => {
    const sub = await trx('subscriptions as s')
      .join('children as c', 'c.id', 's.child_id')
      .where('s.id', input.subscriptionId)
      .first('s.*', 'c.family_id');
    if (!sub || sub.family_id !== input.familyId) throw notFound('Abonnement');
    if (sub.ended_at != null) throw new DomainError('CONFLICT', 'Cet abonnement est déjà terminé.');
    const lastDay = addDays(input.from, -1);
    await trx('subscriptions').where('id', sub.id).update({ ended_at: now.toISOString(), date_to: lastDay < sub.date_to ? lastDay : sub.date_to });
    const booked: Array<{ date: string }> = await trx('bookings')
      .select('date')
      .where({ child_id: sub.child_id, activity_id: sub.activity_id, status: 'booked', source: 'subscription' })
      .whereBetween('date', [maxDate(input.from, sub.date_from), sub.date_to]);
    const weekdays = parseWeekdays(sub.weekdays);
    const changes: BookingChange[] = booked
      .filter((b) => weekdays.includes(isoWeekday(b.date)))
      .map((b) => ({ childId: sub.child_id, activityId: sub.activity_id, date: b.date, action: 'cancel' as const }));
    const batch = changes.length > 0
      ? await applyBookingChangesInTransaction(trx, actor, input.familyId, changes, now, { skipClosed: true })
      : { results: [], balances: await getBalances(trx, input.familyId) };
    return { id: sub.id as number, batch };
  }, { familyId: input.familyId });
  const [subscription] = (await listSubscriptions(ctx, actor, { familyId: input.familyId })).filter((s) => s.id === result.id);
  return { subscription: subscription!, batch: result.batch };
}
