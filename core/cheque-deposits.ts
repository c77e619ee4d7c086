import type { Knex } from 'knex';
import {
  DEPOSIT_MAX_CHEQUES,
  formatDepositNumber,
  type ChequeDepositView,
  type ChequeItem,
  type ChequesPageView,
  type DepositedCheque,
  type SellerTotal,
} from '../api/cheques.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { parisToday, parisYearOf } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { formatReceiptNumber } from './receipt-view.js';
import { insertedId } from './wallet.js';

/**
 * "Bordereau de remise de chèques" (issue 14): the cheques taken at the counter wait in the régie
 * until the régisseur selects some, totals them and takes them to the bank with a numbered slip.
 *
 * A cheque is a cheque receipt that was not cancelled (no reversing receipt) and is no reversal
 * itself. A slip's number is gapless per year, taken like a receipt's as the transaction's first
 * statement; its lines hold each receipt once (UNIQUE receipt_id): a cheque on two slips is
 * impossible, even when two desks make a slip with it at the same instant.
 */

const DEPOSITS_SHOWN = 30;

type Row = Record<string, unknown>;

/** Cheque receipts with family, agent and drawer, ready for a list or a slip. */
function chequeQuery(db: Knex) {
  return db('receipts as r')
    .join('families as f', 'f.id', 'r.family_id')
    .join('staff_users as s', 's.id', 'r.staff_user_id')
    .where('r.method', 'cheque')
    .whereNull('r.cancels_receipt_id')
    .select(
      'r.id', 'r.year', 'r.number', 'r.business_date', 'r.family_id', 'r.cheque_number', 'r.cheque_bank', 'r.amount_cents', 'r.staff_user_id',
      'f.code as family_code', 'f.name as family_name', 's.display_name as staff_name',
    );
}

/** The signer of each family's cheques: its first billing contact, in one query for all. */
async function drawers(db: Knex, familyIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const ids = [...new Set(familyIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows: Array<{ family_id: number; first_name: string; last_name: string }> = await db('contacts')
      .whereIn('family_id', ids.slice(i, i + 500))
      .where('use_for_billing', true)
      .orderBy('id')
      .select('family_id', 'first_name', 'last_name');
    for (const r of rows) if (!out.has(r.family_id)) out.set(r.family_id, `${r.last_name} ${r.first_name}`.trim());
  }
  return out;
}

async function toItems(db: Knex, rows: Row[]): Promise<ChequeItem[]> {
  const names = await drawers(db, rows.map((r) => r.family_id as number));
  return rows.map((r) => ({
    receiptId: r.id as number,
    receiptNumber: formatReceiptNumber(r.year as number, r.number as number),
    businessDate: r.business_date as string,
    familyId: r.family_id as number,
    familyCode: r.family_code as string,
    familyName: r.family_name as string,
    chequeNumber: (r.cheque_number as string | null) ?? '',
    chequeBank: (r.cheque_bank as string | null) ?? '',
    drawer: names.get(r.family_id as number) ?? (r.family_name as string),
    amountCents: Number(r.amount_cents),
    staffUserId: r.staff_user_id as number,
    staffName: r.staff_name as string,
  }));
}

/** The régisseur's and each deputy's count and total, largest first, then by name. */
export function totalsBySeller(cheques: readonly ChequeItem[]): SellerTotal[] {
  const by = new Map<number, SellerTotal>();
  for (const c of cheques) {
    const t = by.get(c.staffUserId) ?? { staffUserId: c.staffUserId, staffName: c.staffName, count: 0, totalCents: 0 };
    t.count += 1;
    t.totalCents += c.amountCents;
    by.set(c.staffUserId, t);
  }
  return [...by.values()].sort((a, b) => b.totalCents - a.totalCents || a.staffName.localeCompare(b.staffName, 'fr'));
}

const sum = (cheques: readonly ChequeItem[]) => cheques.reduce((s, c) => s + c.amountCents, 0);

/** The cheques not on any slip yet, oldest first (one query, whatever their number). */
export async function listUndepositedCheques(db: Knex): Promise<ChequeItem[]> {
  const rows: Row[] = await chequeQuery(db)
    .leftJoin('cheque_deposit_lines as d', 'd.receipt_id', 'r.id')
    .leftJoin('receipts as c', 'c.cancels_receipt_id', 'r.id')
    .whereNull('d.id')
    .whereNull('c.id')
    .where('r.amount_cents', '>', 0)
    .orderBy([{ column: 'r.business_date' }, { column: 'r.year' }, { column: 'r.number' }]);
  return toItems(db, rows);
}

/** Slips with their cheques and rejections, in three queries for any number of slips. */
async function depositViews(db: Knex, depositRows: Row[]): Promise<ChequeDepositView[]> {
  if (depositRows.length === 0) return [];
  const ids = depositRows.map((d) => d.id as number);
  const lineRows: Row[] = await chequeQuery(db)
    .join('cheque_deposit_lines as d', 'd.receipt_id', 'r.id')
    .leftJoin('cheque_rejections as x', 'x.receipt_id', 'r.id')
    .whereIn('d.deposit_id', ids)
    .orderBy([{ column: 'd.deposit_id' }, { column: 'd.id' }])
    .select('d.deposit_id', 'x.rejected_on', 'x.reason as rejection_reason');
  const items = await toItems(db, lineRows);
  const byDeposit = new Map<number, DepositedCheque[]>();
  lineRows.forEach((r, i) => {
    const list = byDeposit.get(r.deposit_id as number) ?? [];
    list.push({ ...items[i]!, rejection: r.rejected_on ? { rejectedOn: r.rejected_on as string, reason: r.rejection_reason as string } : null });
    byDeposit.set(r.deposit_id as number, list);
  });
  return depositRows.map((d) => {
    const cheques = byDeposit.get(d.id as number) ?? [];
    return {
      id: d.id as number,
      year: d.year as number,
      number: d.number as number,
      numberLabel: formatDepositNumber(d.year as number, d.number as number),
      depositDate: d.deposit_date as string,
      totalCents: Number(d.total_cents),
      chequeCount: Number(d.cheque_count),
      bankAccountLabel: d.bank_account_label as string,
      staffName: d.staff_name as string,
      createdAt: d.created_at as string,
      bySeller: totalsBySeller(cheques),
      cheques,
    };
  });
}

const depositQuery = (db: Knex) => db('cheque_deposits as k').join('staff_users as s', 's.id', 'k.staff_user_id').select('k.*', 's.display_name as staff_name');

export async function getChequeDeposit(ctx: CoreContext, actor: Actor, id: number): Promise<ChequeDepositView> {
  authorizeStaff(actor, 'regie.manage');
  const row: Row | undefined = await depositQuery(ctx.db).where('k.id', id).first();
  if (!row) throw notFound('Bordereau');
  return (await depositViews(ctx.db, [row]))[0]!;
}

/** The "Remise de chèques" page: what waits, its totals per agent, and the recent slips. */
export async function chequesPage(ctx: CoreContext, actor: Actor): Promise<ChequesPageView> {
  authorizeStaff(actor, 'regie.manage');
  const undeposited = await listUndepositedCheques(ctx.db);
  const rows: Row[] = await depositQuery(ctx.db).orderBy([{ column: 'k.year', order: 'desc' }, { column: 'k.number', order: 'desc' }]).limit(DEPOSITS_SHOWN);
  const deposits = await depositViews(ctx.db, rows);
  return {
    undeposited,
    undepositedBySeller: totalsBySeller(undeposited),
    undepositedTotalCents: sum(undeposited),
    deposits,
    lastBankAccountLabel: deposits[0]?.bankAccountLabel ?? '',
  };
}

/** Takes the next slip number of the year; the first statement of the transaction (see nextReceiptNumber). */
async function nextDepositNumber(trx: Knex, year: number): Promise<number> {
  const [row] = await trx('cheque_deposit_counters')
    .insert({ year, last_number: 1 })
    .onConflict('year')
    .merge({ last_number: trx.raw('?? + 1', ['cheque_deposit_counters.last_number']) })
    .returning('last_number');
  const n = typeof row === 'object' && row !== null ? Number((row as { last_number: number }).last_number) : Number(row);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error('Numérotation des bordereaux impossible.');
  return n;
}

const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
};

const ALREADY_DEPOSITED = 'Un des chèques choisis vient d’être remis sur un autre bordereau : rechargez la liste et recommencez.';

/**
 * Makes a slip of the selected cheques, in one transaction: numbered, totalled, each cheque
 * marked deposited by its line, audited. Any cheque unknown, cancelled or already deposited
 * refuses the whole slip (nothing written, no number used).
 */
export async function createChequeDeposit(
  ctx: CoreContext,
  actor: Actor,
  input: { receiptIds: readonly number[]; bankAccountLabel: string },
): Promise<ChequeDepositView> {
  const staff = authorizeStaff(actor, 'regie.manage');
  const ids = Array.isArray(input.receiptIds) ? input.receiptIds : [];
  if (ids.length === 0) throw invalid('Choisissez au moins un chèque.', { field: 'receiptIds' });
  if (ids.length > DEPOSIT_MAX_CHEQUES) throw invalid(`Au plus ${DEPOSIT_MAX_CHEQUES} chèques par bordereau.`, { field: 'receiptIds' });
  if (!ids.every((id) => Number.isSafeInteger(id) && id > 0)) throw invalid('Chèque invalide.', { field: 'receiptIds' });
  if (new Set(ids).size !== ids.length) throw invalid('Un chèque figure deux fois dans la sélection.', { field: 'receiptIds' });
  const label = typeof input.bankAccountLabel === 'string' ? input.bankAccountLabel.trim() : '';
  if (!label) throw invalid('Compte de dépôt : ce champ est obligatoire.', { field: 'bankAccountLabel' });
  if (label.length > 120) throw invalid('Compte de dépôt : 120 caractères au maximum.', { field: 'bankAccountLabel' });
  const now = ctx.clock.now();
  const year = parisYearOf(now);

  let depositId: number;
  try {
    depositId = await ctx.db.transaction(async (trx) => {
      // First statement: the write lock on SQLite, the counter row's lock on PostgreSQL. The
      // second of two racing desks waits here, then reads the first one's lines below.
      const number = await nextDepositNumber(trx, year);
      const rows: Row[] = await trx('receipts as r')
        .leftJoin('cheque_deposit_lines as d', 'd.receipt_id', 'r.id')
        .leftJoin('cheque_deposits as k', 'k.id', 'd.deposit_id')
        .leftJoin('receipts as c', 'c.cancels_receipt_id', 'r.id')
        .whereIn('r.id', [...ids])
        .select('r.id', 'r.year', 'r.number', 'r.method', 'r.amount_cents', 'r.cancels_receipt_id', 'r.cheque_number', 'k.year as k_year', 'k.number as k_number', 'c.id as c_id');
      const byId = new Map(rows.map((r) => [r.id as number, r]));
      for (const id of ids) {
        const r = byId.get(id);
        if (!r) throw notFound('Chèque');
        const what = `Le reçu n° ${formatReceiptNumber(r.year as number, r.number as number)}`;
        if (r.method !== 'cheque' || r.cancels_receipt_id != null || Number(r.amount_cents) <= 0) throw invalid(`${what} n’est pas un chèque à remettre.`, { field: 'receiptIds' });
        if (r.c_id != null) throw new DomainError('CONFLICT', `${what} a été annulé : son chèque ne peut pas être remis.`);
        if (r.k_year != null) {
          throw new DomainError('CONFLICT', `Le chèque n° ${r.cheque_number as string} (${what.slice(3)}) est déjà sur le bordereau n° ${formatDepositNumber(r.k_year as number, r.k_number as number)}.`);
        }
      }
      const total = rows.reduce((s, r) => s + Number(r.amount_cents), 0);
      const [row] = await trx('cheque_deposits')
        .insert({
          year, number, deposit_date: parisToday(now), total_cents: total, cheque_count: ids.length, bank_account_label: label,
          staff_user_id: staff.staffUserId, created_at: now.toISOString(),
        })
        .returning('id');
      const id = insertedId(row);
      await trx('cheque_deposit_lines').insert(ids.map((receiptId) => ({ deposit_id: id, receipt_id: receiptId, amount_cents: Number(byId.get(receiptId)!.amount_cents) })));
      await audit(trx, actor, {
        action: 'cheque.deposit', entity: 'cheque_deposit', entityId: id,
        after: { number: formatDepositNumber(year, number), totalCents: total, chequeCount: ids.length, receiptIds: ids, bankAccountLabel: label },
      }, now);
      return id;
    });
  } catch (err) {
    // The UNIQUE line of a cheque that another desk deposited in between (the backstop of the check above).
    if (isUniqueViolation(err)) throw new DomainError('CONFLICT', ALREADY_DEPOSITED);
    throw err;
  }
  return getChequeDeposit(ctx, actor, depositId);
}
