import type { Knex } from 'knex';
import type { CashClosureView, CashJournalView, CashSessionSummary, CashTodayView, MethodTotals, ReceiptView } from '../api/staff.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { isValidDate, parisDateOf, parisToday } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { receiptQuery, toReceipt } from './receipt-view.js';
import { writeTransaction } from './tx.js';
import { insertedId } from './wallet.js';

/**
 * The day's cash journal in sessions. "Clôturer la journée" freezes the open session (its
 * totals and a snapshot of its lines); a receipt issued afterwards opens the day's next session,
 * which has its own closure. A closed session therefore reads — and prints — the same forever.
 */

interface ClosureRow {
  id: number;
  business_date: string;
  session: number;
  total_cents: number;
  totals_by_method: string;
  receipt_count: number;
  staff_user_id: number;
  staff_name: string;
  closed_at: string;
  snapshot: string | null;
}

/** What a closure keeps of its session: the lines and the closer's name as they were. */
interface Snapshot {
  receipts: ReceiptView[];
  staffName: string;
}

async function closuresOf(db: Knex, date: string): Promise<ClosureRow[]> {
  return db('cash_closures as k')
    .join('staff_users as s', 's.id', 'k.staff_user_id')
    .where('k.business_date', date)
    .orderBy('k.session')
    .select('k.*', 's.display_name as staff_name');
}

/** The session a receipt issued now on `date` belongs to: the one after the day's last closure. */
export async function openCashSession(trx: Knex, date: string): Promise<number> {
  const row = (await trx('cash_closures').where('business_date', date).max({ m: 'session' }).first()) as { m: number | null } | undefined;
  return Number(row?.m ?? 0) + 1;
}

function totalsOf(receipts: readonly ReceiptView[]): MethodTotals {
  const totals: MethodTotals = { especes: 0, cheque: 0, carte: 0 };
  for (const r of receipts) totals[r.method] += r.amountCents;
  return totals;
}

function closureView(k: ClosureRow, snapshot: Snapshot | null): CashClosureView {
  return {
    id: k.id,
    businessDate: k.business_date,
    session: k.session,
    totalCents: k.total_cents,
    totalsByMethod: JSON.parse(k.totals_by_method) as MethodTotals,
    receiptCount: k.receipt_count,
    staffUserId: k.staff_user_id,
    staffName: snapshot?.staffName ?? k.staff_name,
    closedAt: k.closed_at,
  };
}

/**
 * One session of a day's journal (by default the open one if it holds receipts, else the last
 * closed one), with the list of the day's sessions. Totals are signed: a reversal counts negative.
 */
export async function cashJournal(ctx: CoreContext, date: string, session?: number): Promise<CashJournalView> {
  if (!isValidDate(date)) throw invalid('Date invalide.');
  const closures = await closuresOf(ctx.db, date);
  const rows: Array<Record<string, unknown>> = await receiptQuery(ctx.db)
    .where('r.business_date', date)
    .orderBy([{ column: 'r.year' }, { column: 'r.number' }]);
  const all = rows.map(toReceipt);
  const open = closures.length + 1;
  const openReceipts = all.filter((r) => r.cashSession >= open);
  const sessions: CashSessionSummary[] = closures.map((k) => ({ session: k.session, closed: true, count: k.receipt_count, totalCents: k.total_cents }));
  if (openReceipts.length > 0 || closures.length === 0 || date === parisToday(ctx.clock.now())) {
    sessions.push({ session: open, closed: false, count: openReceipts.length, totalCents: openReceipts.reduce((s, r) => s + r.amountCents, 0) });
  }
  const chosen = session ?? (openReceipts.length > 0 || closures.length === 0 ? open : closures.length);
  if (!sessions.some((s) => s.session === chosen)) throw notFound('Session de caisse');
  const later = all.filter((r) => r.cashSession > chosen).length;

  const k = closures.find((c) => c.session === chosen);
  if (k) {
    const snapshot = k.snapshot ? (JSON.parse(k.snapshot) as Snapshot) : null;
    const receipts = snapshot?.receipts ?? all.filter((r) => r.cashSession === chosen);
    const closure = closureView(k, snapshot);
    return {
      date, receipts, totalsByMethod: closure.totalsByMethod, totalCents: closure.totalCents, count: closure.receiptCount,
      closure, receiptsAfterClosure: later, session: chosen, sessions,
    };
  }
  const totalsByMethod = totalsOf(openReceipts);
  return {
    date, receipts: openReceipts, totalsByMethod, totalCents: totalsByMethod.especes + totalsByMethod.cheque + totalsByMethod.carte,
    count: openReceipts.length, closure: null, receiptsAfterClosure: 0, session: chosen, sessions,
  };
}

/** For the sale form: which session of today a sale would open or join. */
export async function cashToday(ctx: CoreContext): Promise<CashTodayView> {
  const date = parisToday(ctx.clock.now());
  const open = await openCashSession(ctx.db, date);
  return { date, openSession: open, closedSessions: open - 1 };
}

/**
 * The régisseur closes the day's open session: its totals and lines are frozen in
 * cash_closures. A later session may be closed in turn; an empty one cannot (nothing to close).
 */
export async function closeCashDay(ctx: CoreContext, actor: Actor, input: { date: string }): Promise<CashJournalView> {
  const staff = authorizeStaff(actor, 'cash.close');
  if (!isValidDate(input.date)) throw invalid('Date invalide.');
  const now = ctx.clock.now();
  if (input.date > parisDateOf(now)) throw invalid('On ne peut pas clôturer une journée à venir.');
  const session = await writeTransaction(ctx.db, async (trx) => {
    const open = await openCashSession(trx, input.date);
    const rows: Array<Record<string, unknown>> = await receiptQuery(trx)
      .where('r.business_date', input.date)
      .where('r.cash_session', open)
      .orderBy([{ column: 'r.year' }, { column: 'r.number' }]);
    const receipts = rows.map(toReceipt);
    if (open > 1 && receipts.length === 0) {
      throw new DomainError('ALREADY_CLOSED', `La caisse de cette journée est déjà clôturée (session ${open - 1}) : aucun encaissement depuis.`);
    }
    const totals = totalsOf(receipts);
    const totalCents = totals.especes + totals.cheque + totals.carte;
    const closer = (await trx('staff_users').where('id', staff.staffUserId).first('display_name')) as { display_name: string } | undefined;
    const snapshot: Snapshot = { receipts, staffName: closer?.display_name ?? staff.name };
    const [row] = await trx('cash_closures')
      .insert({
        business_date: input.date, session: open, total_cents: totalCents, totals_by_method: JSON.stringify(totals),
        receipt_count: receipts.length, staff_user_id: staff.staffUserId, closed_at: now.toISOString(), snapshot: JSON.stringify(snapshot),
      })
      .returning('id');
    await audit(trx, actor, {
      action: 'cash.close', entity: 'cash_closure', entityId: insertedId(row),
      after: { date: input.date, session: open, totalCents, totalsByMethod: totals, receiptCount: receipts.length },
    }, now);
    return open;
  });
  return cashJournal(ctx, input.date, session);
}
