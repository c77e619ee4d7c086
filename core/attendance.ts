import type { Knex } from 'knex';
import { compareClassNames } from '../api/school-classes.js';
import type { AttendanceLineView, AttendanceRecordResponse } from '../api/staff.js';
import { audit } from './audit.js';
import { activityRuleFromRow, closedReason, type ActivityRow } from './booking-rules.js';
import { loadCalendar } from './calendar.js';
import type { Actor, CoreContext } from './context.js';
import { formatDateFr, isValidDate, parisToday } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff, can } from './policy.js';
import { pricesForFamilies } from './tariffs.js';
import { writeTransaction } from './tx.js';
import { appendLedgerEntry, insertedId } from './wallet.js';

/**
 * Pointage and its reconciliation with the ledger.
 *
 * Each attendance row owns the ledger entries that carry its attendance_id, and their sum is
 * always the amount the rules give for the current mark:
 * - booked and present: 0 (the booking debit stands)
 * - booked, absent, not justified: 0 (the day stays charged)
 * - booked, absent, justified: + what the booking cost (its net ledger amount), refunded
 * - not booked and present: -(tariff + late surcharge)
 * - not booked and absent: 0
 * Recording a mark appends only the difference with what is already there, so re-recording the
 * same marks writes nothing and changing a mark corrects the balance exactly.
 */

export interface AttendanceMark {
  childId: number;
  present: boolean;
  justified?: boolean;
}

/**
 * The children booked on that activity and day, plus any already pointed; with
 * `includeUnbooked`, every active child (of the school) so that a walk-in can be ticked.
 */
export async function getAttendanceSheet(
  ctx: CoreContext,
  input: { activityId: number; date: string; schoolId?: number | null; includeUnbooked?: boolean },
): Promise<AttendanceLineView[]> {
  if (!isValidDate(input.date)) throw invalid('Date invalide.');
  const db = ctx.db;
  const activity = await db('activities').where('id', input.activityId).first('id');
  if (!activity) throw notFound('Activité');
  const q = db('children as c')
    .leftJoin('bookings as b', (j) => {
      j.on('b.child_id', '=', 'c.id').andOn('b.activity_id', '=', db.raw('?', [input.activityId])).andOn('b.date', '=', db.raw('?', [input.date]));
    })
    .leftJoin('attendance as t', (j) => {
      j.on('t.child_id', '=', 'c.id').andOn('t.activity_id', '=', db.raw('?', [input.activityId])).andOn('t.date', '=', db.raw('?', [input.date]));
    })
    .select('c.id', 'c.first_name', 'c.last_name', 'c.family_id', 'c.school_id', 'c.class_name', 'b.status', 't.present', 't.justified')
    .orderBy([{ column: 'c.class_name' }, { column: 'c.last_name' }, { column: 'c.first_name' }, { column: 'c.id' }]);
  if (input.schoolId != null) q.where('c.school_id', input.schoolId);
  if (input.includeUnbooked) q.where((w) => w.where('c.active', true).orWhereNotNull('t.id'));
  else q.where((w) => w.where('b.status', 'booked').orWhereNotNull('t.id'));
  const rows: Array<Record<string, unknown>> = await q;
  // Classes in school order (PS … CM2), not alphabetical; the SQL order stays within a class.
  rows.sort((a, b) => compareClassNames(a.class_name as string, b.class_name as string));
  return rows.map((r) => ({
    childId: r.id as number,
    firstName: r.first_name as string,
    lastName: r.last_name as string,
    familyId: r.family_id as number,
    schoolId: (r.school_id as number | null) ?? null,
    className: r.class_name as string,
    booked: r.status === 'booked',
    present: r.present == null ? null : Boolean(r.present),
    justified: Boolean(r.justified),
  }));
}

export async function recordAttendance(
  ctx: CoreContext,
  actor: Actor,
  input: { activityId: number; date: string; marks: AttendanceMark[] },
): Promise<AttendanceRecordResponse> {
  const staff = authorizeStaff(actor, 'meals.operate');
  if (!Number.isSafeInteger(input.activityId)) throw invalid('Activité invalide.');
  if (!isValidDate(input.date)) throw invalid('Date invalide.');
  if (!Array.isArray(input.marks) || input.marks.length === 0) throw invalid('Aucun pointage à enregistrer.');
  if (input.marks.length > 20_000) throw invalid('Trop de pointages en une fois.');
  const marks = new Map<number, { present: boolean; justified: boolean }>();
  for (const m of input.marks) {
    if (!m || !Number.isSafeInteger(m.childId) || typeof m.present !== 'boolean') throw invalid('Pointage invalide : enfant et présence attendus.');
    if (m.justified != null && typeof m.justified !== 'boolean') throw invalid('Pointage invalide : « justifié » doit être oui ou non.');
    // Justification only means something for an absence.
    marks.set(m.childId, { present: m.present, justified: !m.present && m.justified === true });
  }
  const now = ctx.clock.now();
  const today = parisToday(now);
  if (input.date > today) throw invalid('On ne peut pas pointer un jour à venir.');
  // The canteen marks who is there today; justifying an absence refunds the family and
  // correcting a past day changes money already settled: both are for whoever may adjust a wallet.
  const canteenOnly = !can(staff, 'wallet.adjust');
  if (canteenOnly && input.date !== today)
    throw new DomainError('FORBIDDEN', 'Seul le secrétariat peut corriger le pointage d’un jour passé.', { field: 'date' });

  return writeTransaction(ctx.db, async (trx) => {
    const activityRow: (ActivityRow & { wallet_id: number; late_surcharge_cents: number }) | undefined = await trx('activities')
      .where('id', input.activityId)
      .first('id', 'name', 'weekdays', 'capacity', 'book_days_before', 'book_until_time', 'cancel_days_before', 'cancel_until_time', 'active', 'wallet_id', 'late_surcharge_cents');
    if (!activityRow) throw notFound('Activité');
    const rule = activityRuleFromRow({ ...activityRow, active: true });
    const childIds = [...marks.keys()];
    const children: Array<{ id: number; family_id: number; first_name: string; school_id: number | null }> = await trx('children')
      .select('id', 'family_id', 'first_name', 'school_id')
      .whereIn('id', childIds);
    if (children.length !== childIds.length) throw notFound('Enfant');
    const calendar = await loadCalendar(trx, input.date, input.date);
    for (const c of children) {
      const closed = closedReason(rule, input.date, calendar, c.school_id);
      if (closed) throw new DomainError('ACTIVITY_CLOSED', `Pas de pointage : activité fermée ce jour (${closed}).`);
    }

    const bookings: Array<{ id: number; child_id: number; status: string }> = await trx('bookings')
      .select('id', 'child_id', 'status')
      .where({ activity_id: input.activityId, date: input.date })
      .whereIn('child_id', childIds);
    const bookingByChild = new Map(bookings.filter((b) => b.status === 'booked').map((b) => [b.child_id, b]));
    const existing: Array<{ id: number; child_id: number; present: number | boolean; justified: number | boolean }> = await trx('attendance')
      .select('id', 'child_id', 'present', 'justified')
      .where({ activity_id: input.activityId, date: input.date })
      .whereIn('child_id', childIds);
    const attendanceByChild = new Map(existing.map((a) => [a.child_id, a]));
    // A justification stays as the secretariat left it (a child ticked present again included).
    if (canteenOnly && childIds.some((id) => marks.get(id)!.justified !== Boolean(attendanceByChild.get(id)?.justified)))
      throw new DomainError('FORBIDDEN', 'Seul le secrétariat peut justifier une absence ou retirer sa justification (cela rembourse ou refacture la famille).', { field: 'justified' });

    const bookingIds = [...bookingByChild.values()].map((b) => b.id);
    const bookingNet = await sumBy(trx, 'booking_id', bookingIds);
    const attendanceNet = await sumBy(trx, 'attendance_id', existing.map((a) => a.id));
    const prices = await pricesForFamilies(trx, children.map((c) => c.family_id), [input.activityId]);

    const at = now.toISOString();
    let changed = 0;
    let ledgerEntries = 0;
    for (const child of children) {
      const mark = marks.get(child.id)!;
      const booking = bookingByChild.get(child.id);
      const prev = attendanceByChild.get(child.id);
      let attendanceId: number;
      const sameMark = prev != null && Boolean(prev.present) === mark.present && Boolean(prev.justified) === mark.justified;
      if (prev) {
        attendanceId = prev.id;
        if (!sameMark) {
          await trx('attendance').where('id', prev.id).update({ present: mark.present, justified: mark.justified, staff_user_id: staff.staffUserId, recorded_at: at });
        }
      } else {
        const [row] = await trx('attendance')
          .insert({ child_id: child.id, activity_id: input.activityId, date: input.date, present: mark.present, justified: mark.justified, staff_user_id: staff.staffUserId, recorded_at: at })
          .returning('id');
        attendanceId = insertedId(row);
      }

      const current = attendanceNet.get(attendanceId) ?? 0;
      let target: number;
      let kind: 'absence_refund' | 'late_charge';
      let label: string;
      const day = `${activityRow.name} — ${child.first_name} — ${formatDateFr(input.date)}`;
      if (booking) {
        kind = 'absence_refund';
        target = !mark.present && mark.justified ? Math.max(0, -(bookingNet.get(booking.id) ?? 0)) : 0;
        label = target > current ? `Absence justifiée ${day}` : `Annulation du remboursement d'absence ${day}`;
      } else {
        kind = 'late_charge';
        const price = prices.get(child.family_id)?.get(input.activityId);
        if (mark.present && price == null) throw invalid(`Tarif non défini pour ${activityRow.name} : impossible de facturer la présence.`);
        // Once charged, a present child keeps the price of the day it was charged at.
        target = mark.present ? (current < 0 ? current : -((price ?? 0) + activityRow.late_surcharge_cents)) : 0;
        label = target < current ? `Présence non réservée ${day}` : `Annulation de la présence non réservée ${day}`;
      }
      const diff = target - current;
      if (diff !== 0) {
        await appendLedgerEntry(trx, {
          familyId: child.family_id, walletId: activityRow.wallet_id, amountCents: diff, kind, label,
          childId: child.id, activityId: input.activityId, serviceDate: input.date, attendanceId, staffUserId: staff.staffUserId,
        }, now);
        ledgerEntries++;
      }
      if (!sameMark || diff !== 0) {
        changed++;
        await audit(trx, actor, {
          action: 'attendance.record', entity: 'attendance', entityId: attendanceId, familyId: child.family_id,
          before: prev ? { present: Boolean(prev.present), justified: Boolean(prev.justified), netCents: current } : null,
          after: { present: mark.present, justified: mark.justified, booked: booking != null, netCents: target },
          note: day,
        }, now);
      }
    }
    return { changed, ledgerEntries };
  });
}

async function sumBy(trx: Knex, column: 'booking_id' | 'attendance_id', ids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (ids.length === 0) return out;
  const rows: Array<Record<string, number | string>> = await trx('ledger_entries')
    .select(column)
    .sum({ total: 'amount_cents' })
    .whereIn(column, ids)
    .groupBy(column);
  for (const r of rows) out.set(Number(r[column]), Number(r.total));
  return out;
}
