import type { Knex } from 'knex';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, type PaymentMethod } from '../api/rules.js';
import type { UnclosedDay, VersementDayLine, VersementFigures, VersementMethodLine, VersementSellerLine } from '../api/versement.js';
import { addDays } from './dates.js';
import { formatReceiptNumber } from './receipt-view.js';

/**
 * The figures of an "état de versement", in a fixed number of queries whatever the period's size:
 * one for the receipts (grouped by day, seller, method and sale/reversal), one for the online
 * payments (grouped by PayFiP's day). What an état counts is every receipt dated up to the
 * period's end and every online payment paid up to it that no earlier état counted: those dated
 * before the period (a PayFiP payment settled late, a day forgotten) are counted too, and shown
 * apart, so that nothing collected escapes the comptable.
 */

const REVERSAL = 'CASE WHEN r.cancels_receipt_id IS NULL THEN 0 ELSE 1 END';
/** PayFiP's own day (dattrans, Paris); the settlement's UTC day when PayFiP gave none. */
const ONLINE_DAY = 'COALESCE(SUBSTR(p.paid_at_local, 1, 10), SUBSTR(p.updated_at, 1, 10))';

/** Receipts up to `to` in no état yet. */
export function unversedReceipts(db: Knex, to: string) {
  return db('receipts as r')
    .where('r.business_date', '<=', to)
    .whereNotExists((q) => q.select(db.raw('1')).from('versement_receipts as vr').whereRaw('vr.receipt_id = r.id'));
}

/** Paid online payments up to `to` (PayFiP's day) in no état yet. */
export function unversedOnline(db: Knex, to: string) {
  const next = addDays(to, 1);
  return db('online_payments as p')
    .where('p.status', 'paid')
    .where((q) => q.where('p.paid_at_local', '<', next).orWhere((n) => n.whereNull('p.paid_at_local').where('p.updated_at', '<', next)))
    .whereNotExists((q) => q.select(db.raw('1')).from('versement_online_payments as vo').whereRaw('vo.online_payment_id = p.id'));
}

interface ReceiptGroup {
  date: string;
  staff_user_id: number;
  name: string;
  method: PaymentMethod;
  reversal: number | string;
  n: number | string;
  cents: number | string;
  first_no: number | string;
  last_no: number | string;
}

const numberLabel = (key: number) => formatReceiptNumber(Math.floor(key / 1_000_000), key % 1_000_000);

export async function versementFigures(db: Knex, from: string, to: string): Promise<VersementFigures> {
  const [groups, online] = await Promise.all([
    unversedReceipts(db, to)
      .join('staff_users as s', 's.id', 'r.staff_user_id')
      .groupBy('r.business_date', 'r.staff_user_id', 's.display_name', 'r.method', db.raw(REVERSAL))
      .select(
        'r.business_date as date',
        'r.staff_user_id',
        's.display_name as name',
        'r.method',
        db.raw(`${REVERSAL} as reversal`),
        db.raw('COUNT(*) as n'),
        db.raw('SUM(r.amount_cents) as cents'),
        db.raw('MIN(CAST(r.year AS BIGINT) * 1000000 + r.number) as first_no'),
        db.raw('MAX(CAST(r.year AS BIGINT) * 1000000 + r.number) as last_no'),
      ) as Promise<ReceiptGroup[]>,
    unversedOnline(db, to)
      .groupByRaw(ONLINE_DAY)
      .select(db.raw(`${ONLINE_DAY} as date`), db.raw('COUNT(*) as n'), db.raw('SUM(p.amount_cents) as cents')) as Promise<Array<{ date: string; n: number | string; cents: number | string }>>,
  ]);

  const methods = new Map<PaymentMethod, VersementMethodLine>(
    PAYMENT_METHODS.map((m) => [m, { method: m, label: PAYMENT_METHOD_LABELS[m], count: 0, grossCents: 0, cancellationCount: 0, cancelledCents: 0, netCents: 0 }]),
  );
  const sellers = new Map<number, VersementSellerLine>();
  const days = new Map<string, VersementDayLine>();
  const day = (date: string) => {
    let d = days.get(date);
    if (!d) days.set(date, (d = { date, receiptCount: 0, counterCents: 0, onlineCount: 0, onlineCents: 0 }));
    return d;
  };
  const earlier = { receiptCount: 0, receiptCents: 0, onlineCount: 0, onlineCents: 0 };
  let first: number | null = null;
  let last: number | null = null;
  for (const g of groups) {
    const n = Number(g.n);
    const cents = Number(g.cents);
    const line = methods.get(g.method);
    if (!line) continue;
    if (Number(g.reversal) === 1) {
      line.cancellationCount += n;
      line.cancelledCents -= cents;
    } else {
      line.count += n;
      line.grossCents += cents;
    }
    line.netCents += cents;
    let seller = sellers.get(g.staff_user_id);
    if (!seller) sellers.set(g.staff_user_id, (seller = { staffUserId: g.staff_user_id, name: g.name, count: 0, byMethod: { especes: 0, cheque: 0, carte: 0 }, totalCents: 0 }));
    seller.count += n;
    seller.byMethod[g.method] += cents;
    seller.totalCents += cents;
    const d = day(g.date);
    d.receiptCount += n;
    d.counterCents += cents;
    if (g.date < from) {
      earlier.receiptCount += n;
      earlier.receiptCents += cents;
    }
    first = first === null ? Number(g.first_no) : Math.min(first, Number(g.first_no));
    last = last === null ? Number(g.last_no) : Math.max(last, Number(g.last_no));
  }
  for (const o of online) {
    const d = day(o.date);
    d.onlineCount += Number(o.n);
    d.onlineCents += Number(o.cents);
    if (o.date < from) {
      earlier.onlineCount += Number(o.n);
      earlier.onlineCents += Number(o.cents);
    }
  }
  const methodLines = [...methods.values()];
  const counterCents = methodLines.reduce((s, m) => s + m.netCents, 0);
  const onlineCount = online.reduce((s, o) => s + Number(o.n), 0);
  const onlineCents = online.reduce((s, o) => s + Number(o.cents), 0);
  return {
    from,
    to,
    methods: methodLines,
    receiptCount: methodLines.reduce((s, m) => s + m.count + m.cancellationCount, 0),
    cancellationCount: methodLines.reduce((s, m) => s + m.cancellationCount, 0),
    cancellationsCents: methodLines.reduce((s, m) => s + m.cancelledCents, 0),
    counterCents,
    onlineCount,
    onlineCents,
    totalCents: counterCents + onlineCents,
    sellers: [...sellers.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr')),
    days: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    earlier,
    firstReceipt: first === null ? null : numberLabel(first),
    lastReceipt: last === null ? null : numberLabel(last),
  };
}

/**
 * Days with receipts in a session that has no closure (one query): up to `to` and in no état
 * when `to` is given, else every such day.
 */
export async function unclosedDays(db: Knex, to?: string): Promise<UnclosedDay[]> {
  const base = to ? unversedReceipts(db, to) : db('receipts as r');
  const rows = (await base
    .whereNotExists((q) => q.select(db.raw('1')).from('cash_closures as k').whereRaw('k.business_date = r.business_date AND k.session = r.cash_session'))
    .groupBy('r.business_date')
    .orderBy('r.business_date')
    .select('r.business_date as date', db.raw('MIN(r.cash_session) as session'), db.raw('COUNT(*) as n'), db.raw('SUM(r.amount_cents) as cents'))) as Array<{
    date: string;
    session: number | string;
    n: number | string;
    cents: number | string;
  }>;
  return rows.map((r) => ({ date: r.date, session: Number(r.session), receiptCount: Number(r.n), totalCents: Number(r.cents) }));
}
