import type { Knex } from 'knex';
import { PAYMENT_METHOD_LABELS, type PaymentMethod } from '../api/rules.js';
import type { ReceiptView } from '../api/staff.js';
import { formatCents } from './money.js';

/** Reading receipts back as the contract's ReceiptView (counter, family file, cash journal). */

export function formatReceiptNumber(year: number, number: number): string {
  return `${year}-${String(number).padStart(6, '0')}`;
}

export function receiptQuery(db: Knex) {
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

export function toReceipt(r: Record<string, unknown>): ReceiptView {
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
    cashSession: Number(r.cash_session ?? 1),
    createdAt: r.created_at as string,
    ledgerEntryId: (r.ledger_entry_id as number | null) ?? null,
  };
}

export async function getReceipt(db: Knex, receiptId: number): Promise<ReceiptView | null> {
  const row = await receiptQuery(db).where('r.id', receiptId).first();
  return row ? toReceipt(row as Record<string, unknown>) : null;
}

/** A family's receipts, newest first. */
export async function listReceipts(db: Knex, familyId: number, limit = 100): Promise<ReceiptView[]> {
  const rows: Array<Record<string, unknown>> = await receiptQuery(db)
    .where('r.family_id', familyId)
    .orderBy([{ column: 'r.year', order: 'desc' }, { column: 'r.number', order: 'desc' }])
    .limit(Math.min(Math.max(limit, 1), 1000));
  return rows.map(toReceipt);
}

