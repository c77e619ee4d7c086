import type { Knex } from 'knex';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, type PaymentMethod } from '../api/rules.js';
import type { CashClosureView, CashJournalView, MethodTotals, ReceiptView } from '../api/staff.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { openCashSession } from './cash-session.js';
import { parisToday, parisYearOf } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { formatCents } from './money.js';
import { issueInvoice } from './invoices.js';
import { assertNumberingConfirmed } from './restore/numbering.js';
import { priceForFamily } from './tariffs.js';
import { formatReceiptNumber, getReceipt } from './receipt-view.js';
import { appendLedgerEntry, insertedId } from './wallet.js';

export { cashJournal, cashToday, closeCashDay } from './cash-session.js';
export { formatReceiptNumber, getReceipt, listReceipts } from './receipt-view.js';

/**
 * Counter sales (encaissement) for the régie: numbered receipts without gaps per year, a
 * cancelled sale answered by a reversing receipt (never a deleted number), and the day's cash
 * journal and closure (core/cash-session.ts).
 */

export const MAX_SALE_CENTS = 999_999;
export const MAX_TICKETS = 500;
/** The legal cap on paying public revenue in cash, per payment. */
export const MAX_CASH_CENTS = 30_000;

// The shapes are the HTTP contract's (api/staff.ts); the core names stay for the PDF and xlsx code.
export type Receipt = ReceiptView;
export type CashClosure = CashClosureView;
export type CashJournal = CashJournalView;
export type { MethodTotals };

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
  /** The console's key for one form submission: a retry with it answers the first receipt. */
  idempotencyKey?: string;
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
  if (input.idempotencyKey != null && (typeof input.idempotencyKey !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(input.idempotencyKey))) {
    throw invalid('Clé d’encaissement invalide.');
  }
  if (hasAmount) checkCashCap(input.method, input.amountCents!, 'amountCents');
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

function checkCashCap(method: PaymentMethod, amountCents: number, field: 'amountCents' | 'tickets'): void {
  if (method === 'especes' && amountCents > MAX_CASH_CENTS) {
    throw invalid(
      `Paiement en espèces limité à ${formatCents(MAX_CASH_CENTS)} (plafond des recettes publiques) : ${formatCents(amountCents)} demandés. Réglez par chèque ou carte bancaire.`,
      { field, maxCents: MAX_CASH_CENTS },
    );
  }
}

/** What a retry must repeat for the same key to answer the first receipt. */
function fingerprintOf(input: CounterSaleInput): string {
  const { familyId, walletId, activityId, amountCents, tickets, method, chequeNumber, chequeBank } = input;
  return JSON.stringify([familyId, walletId ?? null, activityId ?? null, amountCents ?? null, tickets ?? null, method, chequeNumber?.trim() ?? null, chequeBank?.trim() ?? null]);
}

/** Thrown inside the sale's transaction to roll back the number taken when the key was already used. */
class Replay {
  constructor(readonly receiptId: number) {}
}

/** Sells credit at the counter: a numbered receipt, a ledger credit and an audit row, atomically. */
export async function recordCounterSale(ctx: CoreContext, actor: Actor, input: CounterSaleInput): Promise<Receipt> {
  const staff = authorizeStaff(actor, 'counter.sell');
  const { chequeNumber, chequeBank } = validateSale(input);
  const now = ctx.clock.now();
  const year = parisYearOf(now);
  const businessDate = parisToday(now);
  const fingerprint = fingerprintOf(input);

  // Not writeTransaction: here the counter bump is the first statement and takes the lock.
  const receiptId = await ctx.db.transaction(async (trx) => {
    const number = await nextReceiptNumber(trx, year);
    await assertNumberingConfirmed(trx);
    if (input.idempotencyKey != null) {
      const first = await trx('receipts').where('idempotency_key', input.idempotencyKey).first('id', 'idempotency_fingerprint');
      if (first && first.idempotency_fingerprint !== fingerprint) {
        throw new DomainError('CONFLICT', 'Cette demande d’encaissement a déjà servi pour une autre vente : rechargez le formulaire et recommencez.');
      }
      if (first) throw new Replay(first.id as number);
    }
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
        checkCashCap(input.method, amountCents, 'tickets');
      }
    }
    const wallet = await trx('wallets').where('id', walletId!).first('id', 'label');
    if (!wallet) throw notFound('Porte-monnaie');

    const numberLabel = formatReceiptNumber(year, number);
    const [row] = await trx('receipts')
      .insert({
        year, number, family_id: input.familyId, wallet_id: wallet.id, amount_cents: amountCents, method: input.method,
        cheque_number: chequeNumber, cheque_bank: chequeBank, activity_id: input.activityId ?? null, tickets: input.tickets ?? null,
        staff_user_id: staff.staffUserId, business_date: businessDate, cash_session: await openCashSession(trx, businessDate),
        idempotency_key: input.idempotencyKey ?? null, idempotency_fingerprint: input.idempotencyKey != null ? fingerprint : null,
        created_at: now.toISOString(),
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
  }).catch((e: unknown) => {
    if (e instanceof Replay) return e.receiptId;
    throw e;
  });
  return (await getReceipt(ctx.db, receiptId))!;
}

/**
 * Cancels a sale with a reversing receipt (next number, negative amount) and a reversing
 * ledger entry. Allowed after the sale's day was closed: the reversal belongs to today's open session.
 */
export async function cancelCounterSale(ctx: CoreContext, actor: Actor, input: { receiptId: number; reason: string }): Promise<Receipt> {
  const staff = authorizeStaff(actor, 'counter.sell');
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
        cancels_receipt_id: original.id, reason, staff_user_id: staff.staffUserId, business_date: businessDate,
        cash_session: await openCashSession(trx, businessDate), created_at: now.toISOString(),
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

