import type { MonthDay, MonthResponse } from '../api/glance.js';
import { formatMonthFr, MONTH_NAMES_FR, weekdayNameFr, dayOfMonthFr } from '../api/format.js';
import { authorize } from './policy.js';
import type { Actor, CoreContext } from './context.js';
import { addDays, parisToday } from './dates.js';
import { invalid } from './errors.js';
import { weekTotals } from './planning-glance.js';

/**
 * "Mon mois": what is booked in a month, per day and child, with what each booking really
 * cost (the net of its ledger entries), and the totals per wallet and per child. Three
 * queries (children, wallets, bookings with their ledger sums), whatever the month holds.
 */

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = (y ?? 0) * 12 + (m ?? 1) - 1 + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function lastDayOf(month: string): string {
  return addDays(`${shiftMonth(month, 1)}-01`, -1);
}

/** "lundi 2 mars" */
function dayLabel(date: string): string {
  const [, m, d] = date.split('-').map(Number);
  return `${weekdayNameFr(date)} ${dayOfMonthFr(d ?? 1)} ${MONTH_NAMES_FR[(m ?? 1) - 1] ?? ''}`;
}

export async function getMonthView(ctx: CoreContext, actor: Actor, input: { familyId: number; month?: string }): Promise<MonthResponse> {
  authorize(actor, 'family.read', { familyId: input.familyId });
  const month = input.month ?? parisToday(ctx.clock.now()).slice(0, 7);
  const m = MONTH_RE.exec(month);
  if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2100) throw invalid('Mois invalide : AAAA-MM attendu (exemple : 2026-03).', { field: 'month' });
  const from = `${month}-01`;
  const to = lastDayOf(month);
  const db = ctx.db;

  const [children, wallets, rows] = await Promise.all([
    db('children').select('id', 'first_name').where('family_id', input.familyId).orderBy([{ column: 'birth_date' }, { column: 'id' }]) as Promise<Array<{ id: number; first_name: string }>>,
    db('wallets').select('id', 'label').orderBy([{ column: 'position' }, { column: 'id' }]) as Promise<Array<{ id: number; label: string }>>,
    db('bookings as b')
      .join('children as c', 'c.id', 'b.child_id')
      .join('activities as a', 'a.id', 'b.activity_id')
      .leftJoin('ledger_entries as l', 'l.booking_id', 'b.id')
      .where('c.family_id', input.familyId)
      .andWhere('b.status', 'booked')
      .whereBetween('b.date', [from, to])
      .groupBy('b.id', 'b.date', 'b.child_id', 'b.activity_id', 'a.name', 'a.wallet_id', 'a.position')
      .select('b.date', 'b.child_id', 'b.activity_id', 'a.name as activity_name', 'a.wallet_id', 'a.position')
      .sum({ net: 'l.amount_cents' })
      .orderBy([{ column: 'b.date' }, { column: 'a.position' }]) as unknown as Promise<
        Array<{ date: string; child_id: number; activity_id: number; activity_name: string; wallet_id: number; position: number; net: number | string | null }>
      >,
  ]);

  const childName = new Map(children.map((c) => [c.id, c.first_name]));
  const childOrder = new Map(children.map((c, i) => [c.id, i]));
  const days = new Map<string, MonthDay>();
  const byChild = new Map<number, { bookings: number; chargedCents: number }>();
  let totalCents = 0;
  for (const r of rows) {
    const charged = -Number(r.net ?? 0);
    let day = days.get(r.date);
    if (!day) {
      day = { date: r.date, label: dayLabel(r.date), bookings: [], totalCents: 0 };
      days.set(r.date, day);
    }
    day.bookings.push({
      childId: r.child_id, childFirstName: childName.get(r.child_id) ?? '', activityId: r.activity_id,
      activityName: r.activity_name, walletId: r.wallet_id, chargedCents: charged,
    });
    day.totalCents += charged;
    totalCents += charged;
    const c = byChild.get(r.child_id) ?? { bookings: 0, chargedCents: 0 };
    c.bookings += 1;
    c.chargedCents += charged;
    byChild.set(r.child_id, c);
  }
  // Within a day: child by child (eldest first), then the activities in the grid's order.
  for (const day of days.values()) {
    day.bookings.sort((x, y) => (childOrder.get(x.childId) ?? 0) - (childOrder.get(y.childId) ?? 0));
  }

  return {
    month,
    label: formatMonthFr(month),
    previousMonth: shiftMonth(month, -1),
    nextMonth: shiftMonth(month, 1),
    days: [...days.values()],
    walletTotals: weekTotals(
      rows.map((r) => ({ activity_id: r.activity_id, date: r.date, net: r.net })),
      rows.map((r) => ({ rule: { id: r.activity_id }, walletId: r.wallet_id })),
      new Map(wallets.map((w) => [w.id, w.label])),
    ),
    childTotals: children.filter((c) => byChild.has(c.id)).map((c) => ({ childId: c.id, firstName: c.first_name, ...byChild.get(c.id)! })),
    totalCents,
  };
}
