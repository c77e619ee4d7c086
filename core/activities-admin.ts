import type { Knex } from 'knex';
import type { ActivityAdminView, CalendarResponse, ClosureImpactView, ClosureKind, ClosureSavedView, ClosureView, TariffView } from '../api/staff.js';
import { audit } from './audit.js';
import { formatWeekdays, parseWeekdays } from './booking-rules.js';
import { frenchPublicHolidays } from './calendar.js';
import { defaultCafMinutes } from './caf.js';
import { cancelBookingsOfClosure, closureImpact } from './closures.js';
import type { Actor, CoreContext } from './context.js';
import { daysBetween, isValidDate, isValidTime } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { writeTransaction } from './tx.js';
import { insertedId } from './wallet.js';
import { authorizeStaff } from './policy.js';

/**
 * The admin's settings of the service: activities (weekdays, times, capacity, deadlines, late
 * surcharge, meal flag) with their prices by quotient-familial bracket, and the calendar
 * (public holidays computed, school holidays and mairie closures editable). Changes apply to
 * bookings made afterwards: a booking keeps the price it was debited at. Audited.
 */


// The views are the HTTP contract's (api/staff.ts); what the admin types is the view without
// what the server assigns (ids, code, position).
export type TariffValues = Omit<TariffView, 'id'>;
export type ActivityValues = Omit<ActivityAdminView, 'id' | 'code' | 'position' | 'tariffs' | 'cafMinutesPerDay'> & { cafMinutesPerDay?: number; tariffs: TariffValues[] };

/** Every activity with its tariffs, in two queries. */
export async function listActivitiesAdmin(ctx: CoreContext): Promise<ActivityAdminView[]> {
  const rows = (await ctx.db('activities').orderBy(['position', 'id']).select()) as Array<Record<string, unknown>>;
  const tariffs = (await ctx.db('tariffs').orderBy(['activity_id', 'qf_min']).select()) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: r.id as number,
    code: r.code as string,
    name: r.name as string,
    periodLabel: r.period_label as string,
    walletId: r.wallet_id as number,
    weekdays: parseWeekdays(r.weekdays as string),
    startTime: (r.start_time as string | null) ?? null,
    endTime: (r.end_time as string | null) ?? null,
    capacity: (r.capacity as number | null) ?? null,
    bookDaysBefore: r.book_days_before as number,
    bookUntilTime: r.book_until_time as string,
    cancelDaysBefore: r.cancel_days_before as number,
    cancelUntilTime: r.cancel_until_time as string,
    lateSurchargeCents: r.late_surcharge_cents as number,
    meal: !!r.meal,
    active: !!r.active,
    position: r.position as number,
    cafMinutesPerDay: r.caf_minutes_per_day as number,
    tariffs: tariffs
      .filter((t) => t.activity_id === r.id)
      .map((t) => ({ id: t.id as number, qfMin: t.qf_min as number, qfMax: (t.qf_max as number | null) ?? null, priceCents: t.price_cents as number, label: (t.label as string) ?? '' })),
  }));
}

/** Brackets must not overlap, so each quotient familial has exactly one price. */
export function checkTariffs(tariffs: readonly TariffValues[]): TariffValues[] {
  if (tariffs.length === 0) throw invalid('Indiquez au moins un tarif.');
  const sorted = [...tariffs].sort((a, b) => a.qfMin - b.qfMin);
  for (const [i, t] of sorted.entries()) {
    if (!Number.isSafeInteger(t.priceCents) || t.priceCents < 0) throw invalid('Prix invalide : centimes entiers positifs.');
    if (!Number.isSafeInteger(t.qfMin) || t.qfMin < 0) throw invalid('QF minimum invalide.');
    if (t.qfMax != null && t.qfMax < t.qfMin) throw invalid(`Tranche ${t.qfMin} : le QF maximum doit être supérieur au minimum.`);
    const next = sorted[i + 1];
    if (next) {
      if (t.qfMax == null) throw invalid(`La tranche à partir de ${t.qfMin} n’a pas de maximum mais n’est pas la dernière.`);
      if (next.qfMin <= t.qfMax) throw invalid(`Les tranches ${t.qfMin}–${t.qfMax} et ${next.qfMin} se chevauchent.`);
    }
  }
  return sorted.map((t) => ({ ...t, label: t.label.trim() || (t.qfMax == null ? `QF ${t.qfMin} et plus` : `QF ${t.qfMin} à ${t.qfMax}`) }));
}

function checkActivity(v: ActivityValues): void {
  if (!v.name.trim() || v.name.length > 120) throw invalid('Nom : 1 à 120 caractères.');
  if (parseWeekdays(v.weekdays.join(',')).length === 0) throw invalid('Choisissez au moins un jour de la semaine.');
  for (const t of [v.startTime, v.endTime]) if (t != null && !isValidTime(t)) throw invalid('Heure invalide (HH:MM).');
  if (!isValidTime(v.bookUntilTime) || !isValidTime(v.cancelUntilTime)) throw invalid('Heure limite invalide (HH:MM).');
  if (v.capacity != null && (!Number.isSafeInteger(v.capacity) || v.capacity < 1)) throw invalid('Capacité : au moins 1 place.');
  for (const n of [v.bookDaysBefore, v.cancelDaysBefore]) if (!Number.isSafeInteger(n) || n < 0 || n > 30) throw invalid('Délai : 0 à 30 jours.');
  if (!Number.isSafeInteger(v.lateSurchargeCents) || v.lateSurchargeCents < 0) throw invalid('Majoration invalide.');
  if (v.cafMinutesPerDay != null && (!Number.isSafeInteger(v.cafMinutesPerDay) || v.cafMinutesPerDay < 0 || v.cafMinutesPerDay > 1440))
    throw invalid('Durée comptée pour la CAF : 0 à 1440 minutes par jour.', { field: 'cafMinutesPerDay' });
}

function activityRow(v: ActivityValues) {
  return {
    name: v.name.trim(),
    period_label: v.periodLabel.trim() || 'Période scolaire',
    wallet_id: v.walletId,
    weekdays: formatWeekdays(parseWeekdays(v.weekdays.join(','))),
    start_time: v.startTime,
    end_time: v.endTime,
    capacity: v.capacity,
    book_days_before: v.bookDaysBefore,
    book_until_time: v.bookUntilTime,
    cancel_days_before: v.cancelDaysBefore,
    cancel_until_time: v.cancelUntilTime,
    late_surcharge_cents: v.lateSurchargeCents,
    meal: v.meal,
    active: v.active,
    ...(v.cafMinutesPerDay != null ? { caf_minutes_per_day: v.cafMinutesPerDay } : {}),
  };
}

async function replaceTariffs(trx: Knex, activityId: number, tariffs: TariffValues[]): Promise<void> {
  await trx('tariffs').where({ activity_id: activityId }).delete();
  await trx('tariffs').insert(tariffs.map((t) => ({ activity_id: activityId, qf_min: t.qfMin, qf_max: t.qfMax, price_cents: t.priceCents, label: t.label })));
}

export async function updateActivity(ctx: CoreContext, actor: Actor, input: { activityId: number; values: ActivityValues }): Promise<ActivityAdminView> {
  const admin = authorizeStaff(actor, 'activities.manage');
  checkActivity(input.values);
  const tariffs = checkTariffs(input.values.tariffs);
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const before = (await listActivitiesAdmin({ db: trx, clock: ctx.clock })).find((a) => a.id === input.activityId);
    if (!before) throw notFound('Activité');
    if (!(await trx('wallets').where({ id: input.values.walletId }).first('id'))) throw notFound('Porte-monnaie');
    await trx('activities').where({ id: input.activityId }).update({ ...activityRow(input.values), updated_at: now.toISOString() });
    await replaceTariffs(trx, input.activityId, tariffs);
    const { id: _id, code: _code, position: _p, ...beforeValues } = before;
    await audit(trx, admin, {
      action: 'activity.update',
      entity: 'activity',
      entityId: input.activityId,
      before: { ...beforeValues, tariffs: before.tariffs.map(({ id: _t, ...t }) => t) },
      after: { ...input.values, cafMinutesPerDay: input.values.cafMinutesPerDay ?? before.cafMinutesPerDay, tariffs },
      note: input.values.name,
    }, now);
  });
  return (await listActivitiesAdmin(ctx)).find((a) => a.id === input.activityId)!;
}

export async function createActivity(ctx: CoreContext, actor: Actor, input: { code: string; values: ActivityValues }): Promise<ActivityAdminView> {
  const admin = authorizeStaff(actor, 'activities.manage');
  if (!/^[A-Za-z0-9_]{2,30}$/.test(input.code)) throw invalid('Code invalide : 2 à 30 lettres, chiffres ou _.');
  checkActivity(input.values);
  const tariffs = checkTariffs(input.values.tariffs);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const id = await writeTransaction(ctx.db, async (trx) => {
    if (await trx('activities').where({ code: input.code }).first('id')) throw new DomainError('CONFLICT', 'Ce code d’activité existe déjà.');
    if (!(await trx('wallets').where({ id: input.values.walletId }).first('id'))) throw notFound('Porte-monnaie');
    const maxPos = (await trx('activities').max({ m: 'position' }).first()) as { m: number | null } | undefined;
    const caf_minutes_per_day = input.values.cafMinutesPerDay ?? defaultCafMinutes(input.code, input.values.name, input.values.startTime, input.values.endTime);
    const [row] = await trx('activities').insert({ code: input.code, ...activityRow(input.values), caf_minutes_per_day, position: Number(maxPos?.m ?? 0) + 1, created_at: at, updated_at: at }).returning('id');
    const newId = insertedId(row);
    await replaceTariffs(trx, newId, tariffs);
    await audit(trx, admin, { action: 'activity.create', entity: 'activity', entityId: newId, after: { code: input.code, ...input.values, cafMinutesPerDay: caf_minutes_per_day, tariffs }, note: input.values.name }, now);
    return newId;
  });
  return (await listActivitiesAdmin(ctx)).find((a) => a.id === id)!;
}

// ---------------------------------------------------------------------------------------------
// Calendar

export type ClosureValues = Omit<ClosureView, 'id'>;

/** Public holidays (computed) and closure rows touching [from, to]. */
export async function getCalendarView(ctx: CoreContext, input: { from: string; to: string }): Promise<CalendarResponse> {
  if (!isValidDate(input.from) || !isValidDate(input.to) || input.to < input.from) throw invalid('Période invalide.');
  if (daysBetween(input.from, input.to) > 800) throw invalid('Période trop longue (deux ans au plus).');
  const years: number[] = [];
  for (let y = Number(input.from.slice(0, 4)); y <= Number(input.to.slice(0, 4)); y++) years.push(y);
  const publicHolidays = years.flatMap((y) => frenchPublicHolidays(y)).filter((h) => h.date >= input.from && h.date <= input.to);
  const rows = (await ctx
    .db('closures')
    .where('date_from', '<=', input.to)
    .andWhere('date_to', '>=', input.from)
    .orderBy(['date_from', 'id'])
    .select()) as Array<Record<string, unknown>>;
  return { from: input.from, to: input.to, publicHolidays, closures: rows.map(closureOf) };
}

function closureOf(r: Record<string, unknown>): ClosureView {
  return {
    id: r.id as number,
    kind: r.kind as ClosureKind,
    label: r.label as string,
    dateFrom: r.date_from as string,
    dateTo: r.date_to as string,
    activityId: (r.activity_id as number | null) ?? null,
    schoolId: (r.school_id as number | null) ?? null,
  };
}

async function checkClosure(trx: Knex, v: ClosureValues): Promise<ClosureValues> {
  if (!['vacances', 'mairie', 'fermeture'].includes(v.kind)) throw invalid('Type de fermeture invalide.');
  const label = v.label.trim();
  if (!label || label.length > 120) throw invalid('Libellé : 1 à 120 caractères.');
  if (!isValidDate(v.dateFrom) || !isValidDate(v.dateTo)) throw invalid('Dates invalides.');
  if (v.dateTo < v.dateFrom) throw invalid('La date de fin doit suivre la date de début.');
  if (daysBetween(v.dateFrom, v.dateTo) > 366) throw invalid('Une fermeture dure au plus un an.');
  if (v.activityId != null && !(await trx('activities').where({ id: v.activityId }).first('id'))) throw notFound('Activité');
  if (v.schoolId != null && !(await trx('schools').where({ id: v.schoolId }).first('id'))) throw notFound('École');
  return { ...v, label };
}

const closureRow = (v: ClosureValues) => ({ kind: v.kind, label: v.label, date_from: v.dateFrom, date_to: v.dateTo, activity_id: v.activityId, school_id: v.schoolId });

/** What saving these closure values would cancel and refund (the admin's confirmation step). */
export async function previewClosure(ctx: CoreContext, actor: Actor, values: ClosureValues): Promise<ClosureImpactView> {
  authorizeStaff(actor, 'calendar.manage');
  const v = await checkClosure(ctx.db, values);
  return closureImpact(ctx.db, v, ctx.clock.now());
}

/**
 * Adds a closure and, in the same transaction, cancels and refunds the bookings still to come
 * that it covers, with a mail to each family (core/closures.ts); the preview said exactly that.
 */
export async function addClosure(ctx: CoreContext, actor: Actor, values: ClosureValues): Promise<ClosureSavedView> {
  const admin = authorizeStaff(actor, 'calendar.manage');
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const v = await checkClosure(trx, values);
    const [row] = await trx('closures').insert({ ...closureRow(v), created_at: now.toISOString() }).returning('id');
    const id = insertedId(row);
    await audit(trx, admin, { action: 'closure.create', entity: 'closure', entityId: id, after: v, note: v.label }, now);
    const impact = await cancelBookingsOfClosure(trx, admin, id, v, now);
    return { id, ...v, impact };
  });
}

/** Changing a closure's days or scope cancels the bookings it now covers; it never books again. */
export async function updateClosure(ctx: CoreContext, actor: Actor, input: { closureId: number; values: ClosureValues }): Promise<ClosureSavedView> {
  const admin = authorizeStaff(actor, 'calendar.manage');
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const before = (await trx('closures').where({ id: input.closureId }).first()) as Record<string, unknown> | undefined;
    if (!before) throw notFound('Fermeture');
    const v = await checkClosure(trx, input.values);
    await trx('closures').where({ id: input.closureId }).update(closureRow(v));
    const { id: _id, ...beforeValues } = closureOf(before);
    await audit(trx, admin, { action: 'closure.update', entity: 'closure', entityId: input.closureId, before: beforeValues, after: v, note: v.label }, now);
    const impact = await cancelBookingsOfClosure(trx, admin, input.closureId, v, now);
    return { id: input.closureId, ...v, impact };
  });
}

/** Removing a closure reopens the days for booking; the cancelled bookings stay cancelled. */
export async function deleteClosure(ctx: CoreContext, actor: Actor, input: { closureId: number }): Promise<void> {
  const admin = authorizeStaff(actor, 'calendar.manage');
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const before = (await trx('closures').where({ id: input.closureId }).first()) as Record<string, unknown> | undefined;
    if (!before) throw notFound('Fermeture');
    await trx('closures').where({ id: input.closureId }).delete();
    const { id: _id, ...beforeValues } = closureOf(before);
    await audit(trx, admin, { action: 'closure.delete', entity: 'closure', entityId: input.closureId, before: beforeValues, note: beforeValues.label }, now);
  });
}
