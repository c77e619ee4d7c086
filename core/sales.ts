import type { Knex } from 'knex';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, type PaymentMethod } from '../api/rules.js';
import type { CashClosureView, CashJournalView, MethodTotals, ReceiptView } from '../api/staff.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { isValidDate, parisDateOf, parisToday, parisYearOf } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { formatCents } from './money.js';
import { issueInvoice } from './invoices.js';
import { priceForFamily } from './tariffs.js';
import { writeTransaction } from './tx.js';
import { appendLedgerEntry, insertedId, requireMoneyStaff } from './wallet.js';

/**
 * Counter sales (encaissement) for the régie: numbered receipts without gaps per year, a
 * cancelled sale answered by a reversing receipt (never a deleted number), and the day's cash
 * journal and closure.
 */

export const MAX_SALE_CENTS = 999_999;
export const MAX_TICKETS = 500;

// The shapes are the HTTP contract's (api/staff.ts); the core names stay for the PDF and xlsx code.
export type Receipt = ReceiptView;
export type CashClosure = CashClosureView;
export type CashJournal = CashJournalView;
export type { MethodTotals };

export function formatReceiptNumber(year: number, number: number): string {
  return `${year}-${String(number).padStart(6, '0')}`;
}

const isMethod = (m: unknown): m is PaymentMethod => (PAYMENT_METHODS as readonly unknown[]).includes(m);

/**
 * Takes the next receipt number of the year. It must be the transaction's first statement:
 * on SQLite the write lock is taken here, so concurrent sellers (other processes, other desks)
 * queue up and each sees the previous one's number; on PostgreSQL the upsert locks the row.
 * A transaction that fails later rolls the number back with it: no gap.
 */
async function nextReceiptNumber(trx: Knex, year: number): Promise<number> {
  const [row] = await trx('receipt_counters')
    .insert({ year, last_number: 1 })
    .onConflict('year')
    .merge({ last_number: trx.raw('?? + 1', ['receipt_counters.last_number']) })
    .returning('last_number');
  const n = typeof row === 'object' && row !== null ? Number((row as { last_number: number }).last_number) : Number(row);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error('Numérotation des reçus impossible.');
  return n;
}

export interface CounterSaleInput {
  familyId: number;
  walletId?: number;
  activityId?: number;
  amountCents?: number;
  tickets?: number;
  method: PaymentMethod;
  chequeNumber?: string;
  chequeBank?: string;
}

function validateSale(input: CounterSaleInput): { chequeNumber: string | null; chequeBank: string | null } {
  if (!Number.isSafeInteger(input.familyId) || input.familyId <= 0) throw invalid('Choisissez une famille.');
  if (!isMethod(input.method)) throw invalid('Mode de paiement invalide : espèces, chèque ou carte bancaire.');
  const hasAmount = input.amountCents != null;
  const hasTickets = input.tickets != null;
  if (hasAmount === hasTickets) throw invalid('Indiquez soit un montant, soit un nombre de tickets.');
  if (hasAmount && (!Number.isSafeInteger(input.amountCents) || input.amountCents! < 1 || input.amountCents! > MAX_SALE_CENTS)) {
    throw invalid(`Le montant doit être compris entre 0,01 € et ${formatCents(MAX_SALE_CENTS)}.`);
  }
  if (hasTickets) {
    if (!Number.isSafeInteger(input.tickets) || input.tickets! < 1 || input.tickets! > MAX_TICKETS) {
      throw invalid(`Le nombre de tickets doit être compris entre 1 et ${MAX_TICKETS}.`);
    }
    if (input.activityId == null) throw invalid('Choisissez l\'activité des tickets.');
  }
  if (!hasTickets && input.walletId == null && input.activityId == null) throw invalid('Choisissez le porte-monnaie à créditer.');
  let chequeNumber: string | null = null;
  let chequeBank: string | null = null;
  if (input.method === 'cheque') {
    chequeNumber = typeof input.chequeNumber === 'string' ? input.chequeNumber.trim() : '';
    chequeBank = typeof input.chequeBank === 'string' ? input.chequeBank.trim() : '';
    if (!chequeNumber) throw invalid('Indiquez le numéro du chèque.');
    if (!/^[0-9A-Za-z -]{1,40}$/.test(chequeNumber)) throw invalid('Numéro de chèque invalide (chiffres et lettres, 40 caractères au plus).');
    if (!chequeBank) throw invalid('Indiquez la banque du chèque.');
    if (chequeBank.length > 80) throw invalid('Le nom de la banque ne doit pas dépasser 80 caractères.');
  }
  return { chequeNumber, chequeBank };
}

/** Sells credit at the counter: a numbered receipt, a ledger credit and an audit row, atomically. */
export async function recordCounterSale(ctx: CoreContext, actor: Actor, input: CounterSaleInput): Promise<Receipt> {
  const staff = requireMoneyStaff(actor);
  const { chequeNumber, chequeBank } = validateSale(input);
  const now = ctx.clock.now();
  const year = parisYearOf(now);
  const businessDate = parisToday(now);

  // Not writeTransaction: here the counter bump is the first statement and takes the lock.
  const receiptId = await ctx.db.transaction(async (trx) => {
    const number = await nextReceiptNumber(trx, year);
    const family = await trx('families').where('id', input.familyId).first('id', 'name');
    if (!family) throw notFound('Famille');

    let walletId = input.walletId ?? null;
    let amountCents = input.amountCents ?? 0;
    let activityName: string | null = null;
    if (input.activityId != null) {
      const activity = await trx('activities').where('id', input.activityId).first('id', 'name', 'wallet_id');
      if (!activity) throw notFound('Activité');
      activityName = activity.name;
      if (walletId != null && walletId !== activity.wallet_id) throw invalid('Cette activité se paie sur un autre porte-monnaie.');
      walletId = activity.wallet_id;
      if (input.tickets != null) {
        const price = (await priceForFamily(trx, input.familyId, [activity.id])).get(activity.id);
        if (price == null || price <= 0) throw invalid(`Pas de tarif pour ${activity.name} : vendez un montant.`);
        amountCents = price * input.tickets;
        if (amountCents > MAX_SALE_CENTS) throw invalid(`Le montant dépasse ${formatCents(MAX_SALE_CENTS)}.`);
      }
    }
    const wallet = await trx('wallets').where('id', walletId!).first('id', 'label');
    if (!wallet) throw notFound('Porte-monnaie');

    const numberLabel = formatReceiptNumber(year, number);
    const [row] = await trx('receipts')
      .insert({
        year, number, family_id: input.familyId, wallet_id: wallet.id, amount_cents: amountCents, method: input.method,
        cheque_number: chequeNumber, cheque_bank: chequeBank, activity_id: input.activityId ?? null, tickets: input.tickets ?? null,
        staff_user_id: staff.staffUserId, business_date: businessDate, created_at: now.toISOString(),
      })
      .returning('id');
    const id = insertedId(row);
    const what = input.tickets != null ? `${input.tickets} ticket(s) ${activityName}` : wallet.label;
    const entryId = await appendLedgerEntry(trx, {
      familyId: input.familyId, walletId: wallet.id, amountCents, kind: 'counter_sale',
      label: `Reçu n° ${numberLabel} — ${what} — ${PAYMENT_METHOD_LABELS[input.method]}`,
      activityId: input.activityId ?? null, receiptId: id, staffUserId: staff.staffUserId,
    }, now);
    // The family's paid invoice ("facture acquittée") for Mes factures, next to the receipt.
    const unitCents = input.tickets != null ? amountCents / input.tickets : amountCents;
    await issueInvoice(trx, {
      familyId: input.familyId, kind: 'counter', status: 'paid', receiptId: id, issuedOn: businessDate,
      lines: [{
        label: input.tickets != null ? `${activityName} — tickets (reçu n° ${numberLabel}, ${PAYMENT_METHOD_LABELS[input.method]})` : `Crédit ${wallet.label} (reçu n° ${numberLabel}, ${PAYMENT_METHOD_LABELS[input.method]})`,
        quantity: input.tickets ?? 1, unitCents,
      }],
    }, now);
    await audit(trx, actor, {
      action: 'sale.create', entity: 'receipt', entityId: id, familyId: input.familyId,
      after: { number: numberLabel, amountCents, method: input.method, walletId: wallet.id, tickets: input.tickets ?? null, activityId: input.activityId ?? null, ledgerEntryId: entryId },
    }, now);
    return id;
  });
  return (await getReceipt(ctx.db, receiptId))!;
}

/**
 * Cancels a sale with a reversing receipt (next number, negative amount) and a reversing
 * ledger entry. Allowed after the sale's day was closed: the reversal belongs to today's journal.
 */
export async function cancelCounterSale(ctx: CoreContext, actor: Actor, input: { receiptId: number; reason: string }): Promise<Receipt> {
  const staff = requireMoneyStaff(actor);
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length < 3) throw invalid('Indiquez le motif de l\'annulation (au moins 3 caractères).');
  if (reason.length > 200) throw invalid('Le motif ne doit pas dépasser 200 caractères.');
  if (!Number.isSafeInteger(input.receiptId)) throw invalid('Reçu invalide.');
  const now = ctx.clock.now();
  const year = parisYearOf(now);
  const businessDate = parisToday(now);

  const receiptId = await ctx.db.transaction(async (trx) => {
    const number = await nextReceiptNumber(trx, year);
    const original = await trx('receipts').where('id', input.receiptId).first();
    if (!original) throw notFound('Reçu');
    if (original.cancels_receipt_id != null) throw new DomainError('CONFLICT', 'Ce reçu est lui-même une annulation : il ne peut pas être annulé.');
    const already = await trx('receipts').where('cancels_receipt_id', original.id).first('year', 'number');
    if (already) throw new DomainError('CONFLICT', `Cette vente a déjà été annulée (reçu n° ${formatReceiptNumber(already.year, already.number)}).`);
    const originalEntry = await trx('ledger_entries').where('receipt_id', original.id).first('id');
    const originalLabel = formatReceiptNumber(original.year, original.number);
    const numberLabel = formatReceiptNumber(year, number);

    const [row] = await trx('receipts')
      .insert({
        year, number, family_id: original.family_id, wallet_id: original.wallet_id, amount_cents: -original.amount_cents,
        method: original.method, cheque_number: original.cheque_number, cheque_bank: original.cheque_bank,
        activity_id: original.activity_id, tickets: original.tickets == null ? null : -original.tickets,
        cancels_receipt_id: original.id, reason, staff_user_id: staff.staffUserId, business_date: businessDate, created_at: now.toISOString(),
      })
      .returning('id');
    const id = insertedId(row);
    await appendLedgerEntry(trx, {
      familyId: original.family_id, walletId: original.wallet_id, amountCents: -original.amount_cents, kind: 'sale_reversal',
      label: `Reçu n° ${numberLabel} — annulation du reçu n° ${originalLabel}`, activityId: original.activity_id,
      receiptId: id, reversesEntryId: originalEntry?.id ?? null, reason, staffUserId: staff.staffUserId,
    }, now);
    // The sale's invoice no longer stands; the reversing receipt is the trace of why.
    await trx('invoices').where('receipt_id', original.id).update({ status: 'cancelled' });
    await audit(trx, actor, {
      action: 'sale.cancel', entity: 'receipt', entityId: id, familyId: original.family_id,
      before: { receiptId: original.id, number: originalLabel, amountCents: original.amount_cents, method: original.method },
      after: { receiptId: id, number: numberLabel, amountCents: -original.amount_cents },
      note: reason,
    }, now);
    return id;
  });
  return (await getReceipt(ctx.db, receiptId))!;
}

function receiptQuery(db: Knex) {
  return db('receipts as r')
    .join('families as f', 'f.id', 'r.family_id')
    .join('wallets as w', 'w.id', 'r.wallet_id')
    .join('staff_users as s', 's.id', 'r.staff_user_id')
    .leftJoin('activities as a', 'a.id', 'r.activity_id')
    .leftJoin('receipts as o', 'o.id', 'r.cancels_receipt_id')
    .leftJoin('receipts as c', 'c.cancels_receipt_id', 'r.id')
    .leftJoin('ledger_entries as l', 'l.receipt_id', 'r.id')
    .select(
      'r.*',
      'f.code as family_code', 'f.name as family_name', 'w.label as wallet_label', 's.display_name as staff_name', 'a.name as activity_name',
      'o.year as o_year', 'o.number as o_number', 'c.id as c_id', 'c.year as c_year', 'c.number as c_number', 'l.id as ledger_entry_id',
    );
}

function toReceipt(r: Record<string, unknown>): Receipt {
  const method = r.method as PaymentMethod;
  return {
    id: r.id as number,
    year: r.year as number,
    number: r.number as number,
    numberLabel: formatReceiptNumber(r.year as number, r.number as number),
    familyId: r.family_id as number,
    familyCode: r.family_code as string,
    familyName: r.family_name as string,
    walletId: r.wallet_id as number,
    walletLabel: r.wallet_label as string,
    amountCents: r.amount_cents as number,
    amountLabel: formatCents(r.amount_cents as number),
    method,
    methodLabel: PAYMENT_METHOD_LABELS[method] ?? String(method),
    chequeNumber: (r.cheque_number as string | null) ?? null,
    chequeBank: (r.cheque_bank as string | null) ?? null,
    activityId: (r.activity_id as number | null) ?? null,
    activityName: (r.activity_name as string | null) ?? null,
    tickets: (r.tickets as number | null) ?? null,
    cancelsReceiptId: (r.cancels_receipt_id as number | null) ?? null,
    cancelsReceiptNumber: r.o_year == null ? null : formatReceiptNumber(r.o_year as number, r.o_number as number),
    cancelledByReceiptId: (r.c_id as number | null) ?? null,
    cancelledByReceiptNumber: r.c_year == null ? null : formatReceiptNumber(r.c_year as number, r.c_number as number),
    reason: (r.reason as string | null) ?? null,
    staffUserId: r.staff_user_id as number,
    staffName: r.staff_name as string,
    businessDate: r.business_date as string,
    createdAt: r.created_at as string,
    ledgerEntryId: (r.ledger_entry_id as number | null) ?? null,
  };
}

export async function getReceipt(db: Knex, receiptId: number): Promise<Receipt | null> {
  const row = await receiptQuery(db).where('r.id', receiptId).first();
  return row ? toReceipt(row as Record<string, unknown>) : null;
}

/** A family's receipts, newest first. */
export async function listReceipts(db: Knex, familyId: number, limit = 100): Promise<Receipt[]> {
  const rows: Array<Record<string, unknown>> = await receiptQuery(db)
    .where('r.family_id', familyId)
    .orderBy([{ column: 'r.year', order: 'desc' }, { column: 'r.number', order: 'desc' }])
    .limit(Math.min(Math.max(limit, 1), 1000));
  return rows.map(toReceipt);
}

/** The day's receipts in number order, with signed totals by method (a reversal counts negative). */
export async function cashJournal(ctx: CoreContext, date: string): Promise<CashJournal> {
  if (!isValidDate(date)) throw invalid('Date invalide.');
  const rows: Array<Record<string, unknown>> = await receiptQuery(ctx.db)
    .where('r.business_date', date)
    .orderBy([{ column: 'r.year' }, { column: 'r.number' }]);
  const receipts = rows.map(toReceipt);
  const totalsByMethod: MethodTotals = { especes: 0, cheque: 0, carte: 0 };
  for (const r of receipts) totalsByMethod[r.method] += r.amountCents;
  const closureRow = await ctx.db('cash_closures as k')
    .join('staff_users as s', 's.id', 'k.staff_user_id')
    .where('k.business_date', date)
    .first('k.*', 's.display_name as staff_name');
  const closure: CashClosure | null = closureRow
    ? {
        id: closureRow.id,
        businessDate: closureRow.business_date,
        totalCents: closureRow.total_cents,
        totalsByMethod: JSON.parse(closureRow.totals_by_method) as MethodTotals,
        receiptCount: closureRow.receipt_count,
        staffUserId: closureRow.staff_user_id,
        staffName: closureRow.staff_name,
        closedAt: closureRow.closed_at,
      }
    : null;
  return {
    date,
    receipts,
    totalsByMethod,
    totalCents: totalsByMethod.especes + totalsByMethod.cheque + totalsByMethod.carte,
    count: receipts.length,
    closure,
    receiptsAfterClosure: closure ? receipts.filter((r) => r.createdAt > closure.closedAt).length : 0,
  };
}

/** The régisseur closes a day: its totals are frozen in cash_closures, once. */
export async function closeCashDay(ctx: CoreContext, actor: Actor, input: { date: string }): Promise<CashJournal> {
  const staff = requireMoneyStaff(actor);
  if (!isValidDate(input.date)) throw invalid('Date invalide.');
  const now = ctx.clock.now();
  if (input.date > parisDateOf(now)) throw invalid('On ne peut pas clôturer une journée à venir.');
  await writeTransaction(ctx.db, async (trx) => {
    const existing = await trx('cash_closures').where('business_date', input.date).first('id');
    if (existing) throw new DomainError('ALREADY_CLOSED', 'La caisse de cette journée est déjà clôturée.');
    const journal = await cashJournal({ db: trx, clock: ctx.clock }, input.date);
    const [row] = await trx('cash_closures')
      .insert({
        business_date: input.date, total_cents: journal.totalCents, totals_by_method: JSON.stringify(journal.totalsByMethod),
        receipt_count: journal.count, staff_user_id: staff.staffUserId, closed_at: now.toISOString(),
      })
      .returning('id');
    await audit(trx, actor, {
      action: 'cash.close', entity: 'cash_closure', entityId: insertedId(row),
      after: { date: input.date, totalCents: journal.totalCents, totalsByMethod: journal.totalsByMethod, receiptCount: journal.count },
    }, now);
  });
  return cashJournal(ctx, input.date);
}
