import type { Knex } from 'knex';
import type { ClosureImpactView, ClosureView } from '../api/staff.js';
import { audit } from './audit.js';
import type { Actor } from './context.js';
import { formatDateLongFr, parisToday } from './dates.js';
import { loadMailCommune } from './mail/commune.js';
import { familiesMailRecipients } from './mail/recipients.js';
import { enqueueMail } from './mail/outbox.js';
import { closureCancellationMail } from './mail/templates.js';
import { formatCents } from './money.js';
import { getPayfipSettings } from './payfip/settings.js';
import { appendLedgerEntry } from './wallet.js';

/**
 * What a closure does to the bookings it covers. Adding a closure (a strike day, a mairie
 * closure, an activity or a school closed) cancels and refunds every booking still to come on
 * the days, activity and school it covers, tells each family by mail, and audits it, in the
 * transaction that adds the closure. The preview runs the same plan without writing, so both
 * agree to the cent. A day already pointed stays charged (the service took place). Removing a
 * closure books nothing again: the families book anew if they wish.
 */

export type ClosureCoverage = Omit<ClosureView, 'id'>;
/** What a cancellation covers: a closure's days, optionally only some children (the rentrée's leavers). */
export type CancelCoverage = ClosureCoverage & { childIds?: readonly number[]; reason?: string };

interface Affected {
  bookingId: number;
  familyId: number;
  childId: number;
  childName: string;
  activityId: number;
  activityName: string;
  walletId: number;
  date: string;
  refundCents: number;
}

interface Plan {
  affected: Affected[];
  pointedKept: number;
  /** Families concerned, with their mail recipients (empty when the family has no address). */
  recipients: Map<number, string[]>;
}

/** Bookings of the covered days from today on, by the rules of buildCalendar().closureFor. */
async function plan(trx: Knex, v: CancelCoverage, now: Date): Promise<Plan> {
  const today = parisToday(now);
  const from = v.dateFrom > today ? v.dateFrom : today;
  const empty: Plan = { affected: [], pointedKept: 0, recipients: new Map() };
  if (from > v.dateTo || v.childIds?.length === 0) return empty;
  const q = trx('bookings as b')
    .join('children as c', 'c.id', 'b.child_id')
    .join('activities as a', 'a.id', 'b.activity_id')
    .leftJoin('attendance as t', (j) => {
      j.on('t.child_id', '=', 'b.child_id').andOn('t.activity_id', '=', 'b.activity_id').andOn('t.date', '=', 'b.date');
    })
    .where('b.status', 'booked')
    .whereBetween('b.date', [from, v.dateTo])
    .orderBy([{ column: 'c.family_id' }, { column: 'b.date' }, { column: 'a.position' }, { column: 'c.first_name' }, { column: 'b.id' }])
    .select('b.id', 'b.child_id', 'b.activity_id', 'b.date', 'c.family_id', 'c.first_name', 'a.name as activity_name', 'a.wallet_id', 't.id as attendance_id');
  if (v.activityId != null) q.where('b.activity_id', v.activityId);
  // A school's closure concerns that school's children only (a child of no school is not in it).
  if (v.schoolId != null) q.where('c.school_id', v.schoolId);
  const rows: Array<Record<string, unknown>> = [];
  if (!v.childIds) rows.push(...(await q));
  else for (let i = 0; i < v.childIds.length; i += 500) rows.push(...(await q.clone().whereIn('b.child_id', v.childIds.slice(i, i + 500))));
  const bookable = rows.filter((r) => r.attendance_id == null);
  const ids = bookable.map((r) => r.id as number);
  const net = new Map<number, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const sums: Array<{ booking_id: number; total: number | string }> = await trx('ledger_entries')
      .select('booking_id')
      .sum({ total: 'amount_cents' })
      .whereIn('booking_id', ids.slice(i, i + 500))
      .groupBy('booking_id');
    for (const s of sums) net.set(s.booking_id, Number(s.total));
  }
  const affected: Affected[] = bookable.map((r) => ({
    bookingId: r.id as number,
    familyId: r.family_id as number,
    childId: r.child_id as number,
    childName: r.first_name as string,
    activityId: r.activity_id as number,
    activityName: r.activity_name as string,
    walletId: r.wallet_id as number,
    date: r.date as string,
    // What the booking has cost so far, as a cancellation refunds it (core/bookings.ts).
    refundCents: Math.max(0, -(net.get(r.id as number) ?? 0)),
  }));
  const recipients = await familiesMailRecipients(trx, affected.map((a) => a.familyId));
  return { affected, pointedKept: rows.length - bookable.length, recipients };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n > 1 ? many : one}`;

function impactOf(p: Plan, done: boolean): ClosureImpactView {
  const bookings = p.affected.length;
  const refundCents = p.affected.reduce((s, a) => s + a.refundCents, 0);
  const families = p.recipients.size;
  const familiesNotified = [...p.recipients.values()].filter((r) => r.length > 0).length;
  const parts: string[] = [];
  if (bookings === 0) parts.push(done ? 'Aucune réservation n’était concernée.' : 'Aucune réservation n’est concernée.');
  else {
    const verb = done ? (bookings > 1 ? 'annulées et remboursées' : 'annulée et remboursée') : bookings > 1 ? 'seront annulées et remboursées' : 'sera annulée et remboursée';
    parts.push(`${plural(bookings, 'réservation', 'réservations')} ${verb} (${formatCents(refundCents)}), ${plural(familiesNotified, 'famille prévenue', 'familles prévenues')} par e-mail.`);
    if (families > familiesNotified) parts.push(`${plural(families - familiesNotified, 'famille n’a', 'familles n’ont')} pas d’adresse e-mail.`);
  }
  if (p.pointedKept > 0) parts.push(`${plural(p.pointedKept, 'journée déjà pointée reste facturée', 'journées déjà pointées restent facturées')}.`);
  return { bookings, refundCents, families, familiesNotified, pointedKept: p.pointedKept, summary: parts.join(' ') };
}

/** What adding or changing a closure to `v` would do now; writes nothing. */
export async function closureImpact(trx: Knex, v: CancelCoverage, now: Date): Promise<ClosureImpactView> {
  return impactOf(await plan(trx, v, now), false);
}

/**
 * Cancels and refunds the bookings `v` covers, queues one mail per family and audits each
 * family's cancellations, inside the caller's transaction (the one that saves the closure, or
 * the rentrée's passage, whose record `about` names instead).
 */
export async function cancelBookingsOfClosure(
  trx: Knex,
  actor: Extract<Actor, { kind: 'staff' }>,
  closureId: number,
  v: CancelCoverage,
  now: Date,
  about: { entity: string; entityId: number | string } = { entity: 'closure', entityId: closureId },
): Promise<ClosureImpactView> {
  const p = await plan(trx, v, now);
  if (p.affected.length === 0) return impactOf(p, true);
  const at = now.toISOString();
  const portalUrl = (await getPayfipSettings(trx)).publicBaseUrl;
  const commune = await loadMailCommune(trx);
  const ids = p.affected.map((a) => a.bookingId);
  for (let i = 0; i < ids.length; i += 500) {
    await trx('bookings').whereIn('id', ids.slice(i, i + 500)).update({ status: 'cancelled', staff_user_id: actor.staffUserId, updated_at: at });
  }
  const names = new Map<number, string>();
  const familyIds = [...p.recipients.keys()];
  for (let i = 0; i < familyIds.length; i += 500) {
    const rows: Array<{ id: number; name: string }> = await trx('families').whereIn('id', familyIds.slice(i, i + 500)).select('id', 'name');
    for (const r of rows) names.set(r.id, r.name);
  }
  const byFamily = new Map<number, Affected[]>();
  for (const a of p.affected) byFamily.set(a.familyId, [...(byFamily.get(a.familyId) ?? []), a]);
  for (const [familyId, to] of p.recipients) {
    const mine = byFamily.get(familyId) ?? [];
    for (const a of mine) {
      if (a.refundCents !== 0) {
        await appendLedgerEntry(trx, {
          familyId, walletId: a.walletId, amountCents: a.refundCents, kind: 'cancellation_refund',
          label: `Annulation (fermeture « ${v.label} ») ${a.activityName} — ${a.childName} — ${formatDateLongFr(a.date)}`,
          childId: a.childId, activityId: a.activityId, serviceDate: a.date, bookingId: a.bookingId, staffUserId: actor.staffUserId,
        }, now);
      }
    }
    const refundCents = mine.reduce((s, a) => s + a.refundCents, 0);
    const content = closureCancellationMail({
      familyName: names.get(familyId) ?? '', closureLabel: v.label, reason: v.reason, refundCents, portalUrl, commune,
      lines: mine.map((a) => `${a.activityName} — ${a.childName} — ${formatDateLongFr(a.date)}`),
    });
    for (const address of to) await enqueueMail(trx, { kind: 'closure_cancellation', to: address, ...content, familyId }, now);
    await audit(trx, actor, {
      action: 'closure.bookings_cancelled', entity: about.entity, entityId: about.entityId, familyId,
      after: { refundCents, bookings: mine.map((a) => ({ bookingId: a.bookingId, childId: a.childId, activityId: a.activityId, date: a.date, refundCents: a.refundCents })) },
      note: `${v.label} : ${plural(mine.length, 'réservation annulée', 'réservations annulées')}, ${formatCents(refundCents)} remboursés`,
    }, now);
  }
  return impactOf(p, true);
}
