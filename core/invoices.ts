import type { Knex } from 'knex';
import type { Actor, CoreContext } from './context.js';
import { addDays, parisDateOf, parisInstant, parisToday, parisYearOf } from './dates.js';
import { invalid, notFound } from './errors.js';
import { assertCents } from './money.js';
import { authorize } from './policy.js';
import { assertNumberingConfirmed } from './restore/numbering.js';
import { insertedId } from './wallet.js';

/**
 * Invoices ("Mes factures"): a numbered paper for each paid top-up or counter sale, plus the
 * monthly statement built from the ledger on demand (core/pdf/invoice.ts draws both).
 * Numbers are per year and gapless, like receipts: F2026-000001, F2026-000002…
 */

export type InvoiceKind = 'topup' | 'counter' | 'statement';
export type InvoiceStatus = 'paid' | 'issued' | 'cancelled';

export interface InvoiceLineInput {
  label: string;
  quantity: number;
  unitCents: number;
}

export interface IssueInvoiceInput {
  familyId: number;
  kind: InvoiceKind;
  /** Paris date; today when absent. */
  issuedOn?: string;
  lines: InvoiceLineInput[];
  status: InvoiceStatus;
  onlinePaymentId?: number | null;
  receiptId?: number | null;
  periodFrom?: string | null;
  periodTo?: string | null;
}

export interface IssuedInvoice {
  invoiceId: number;
  number: string;
  totalCents: number;
}

export function formatInvoiceNumber(year: number, n: number): string {
  return `F${year}-${String(n).padStart(6, '0')}`;
}

/**
 * Writes an invoice and its lines in the caller's transaction (which should be a
 * writeTransaction: the counter row is bumped first so concurrent issuers queue up).
 * Called by the PayFiP settlement (kind 'topup', status 'paid') and by counter sales.
 */
export async function issueInvoice(trx: Knex, input: IssueInvoiceInput, now: Date): Promise<IssuedInvoice> {
  if (input.lines.length === 0) throw invalid('Une facture doit avoir au moins une ligne.');
  for (const l of input.lines) {
    assertCents(l.unitCents);
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) throw invalid('Quantité invalide sur une ligne de facture.');
    if (!l.label.trim()) throw invalid('Ligne de facture sans libellé.');
  }
  await assertNumberingConfirmed(trx);
  const issuedOn = input.issuedOn ?? parisToday(now);
  const year = Number(issuedOn.slice(0, 4)) || parisYearOf(now);
  const bumped = await trx('invoice_counters').where('year', year).increment('last_number', 1);
  if (!bumped) await trx('invoice_counters').insert({ year, last_number: 1 });
  const counter: { last_number: number } = await trx('invoice_counters').where('year', year).first('last_number');
  const number = formatInvoiceNumber(year, counter.last_number);
  const lines = input.lines.map((l) => ({ ...l, totalCents: l.quantity * l.unitCents }));
  const totalCents = lines.reduce((s, l) => s + l.totalCents, 0);
  const [row] = await trx('invoices')
    .insert({
      number,
      family_id: input.familyId,
      kind: input.kind,
      issued_on: issuedOn,
      period_from: input.periodFrom ?? null,
      period_to: input.periodTo ?? null,
      total_cents: totalCents,
      status: input.status,
      online_payment_id: input.onlinePaymentId ?? null,
      receipt_id: input.receiptId ?? null,
      created_at: now.toISOString(),
    })
    .returning('id');
  const invoiceId = insertedId(row);
  await trx('invoice_lines').insert(
    lines.map((l) => ({
      invoice_id: invoiceId,
      label: l.label.slice(0, 200),
      quantity: l.quantity,
      unit_cents: l.unitCents,
      total_cents: l.totalCents,
    })),
  );
  return { invoiceId, number, totalCents };
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface InvoiceSummary {
  id: number;
  number: string;
  kind: InvoiceKind;
  issuedOn: string;
  periodFrom: string | null;
  periodTo: string | null;
  totalCents: number;
  status: InvoiceStatus;
  onlinePaymentId: number | null;
  receiptId: number | null;
}

export interface InvoiceDetail extends InvoiceSummary {
  familyId: number;
  familyName: string;
  familyCode: string;
  lines: Array<{ label: string; quantity: number; unitCents: number; totalCents: number }>;
  /** The card marked "Utiliser cette adresse pour la facturation", else the first card. */
  billTo: { name: string; addressLines: string[] } | null;
  payment: { method: string; reference: string; paidAt: string | null } | null;
}

function summaryOf(r: Record<string, unknown>): InvoiceSummary {
  return {
    id: r.id as number,
    number: r.number as string,
    kind: r.kind as InvoiceKind,
    issuedOn: r.issued_on as string,
    periodFrom: (r.period_from as string | null) ?? null,
    periodTo: (r.period_to as string | null) ?? null,
    totalCents: r.total_cents as number,
    status: r.status as InvoiceStatus,
    onlinePaymentId: (r.online_payment_id as number | null) ?? null,
    receiptId: (r.receipt_id as number | null) ?? null,
  };
}

export async function listInvoices(ctx: CoreContext, actor: Actor, familyId: number): Promise<InvoiceSummary[]> {
  authorize(actor, 'billing.read', { familyId, what: 'Facture' });
  const rows: Array<Record<string, unknown>> = await ctx
    .db('invoices')
    .where('family_id', familyId)
    .orderBy([{ column: 'issued_on', order: 'desc' }, { column: 'id', order: 'desc' }])
    .select();
  return rows.map(summaryOf);
}

const METHOD_LABELS: Record<string, string> = { especes: 'Espèces', cheque: 'Chèque', carte: 'Carte bancaire' };

/** One invoice with its lines, bill-to card and payment; 404 for another family's invoice. */
export async function getInvoice(ctx: CoreContext, actor: Actor, invoiceId: number): Promise<InvoiceDetail> {
  const db = ctx.db;
  const inv: Record<string, unknown> | undefined = await db('invoices as i')
    .join('families as f', 'f.id', 'i.family_id')
    .where('i.id', invoiceId)
    .first('i.*', 'f.name as family_name', 'f.code as family_code');
  if (!inv) throw notFound('Facture');
  const familyId = inv.family_id as number;
  authorize(actor, 'billing.read', { familyId, what: 'Facture' });
  const [lines, contacts, payment, receipt] = await Promise.all([
    db('invoice_lines').where('invoice_id', invoiceId).orderBy('id').select('label', 'quantity', 'unit_cents', 'total_cents'),
    db('contacts')
      .where('family_id', familyId)
      .orderBy([{ column: 'use_for_billing', order: 'desc' }, { column: 'position' }, { column: 'id' }])
      .limit(1)
      .select(),
    inv.online_payment_id
      ? db('online_payments').where('id', inv.online_payment_id as number).first('refdet', 'paid_at_local', 'numauto')
      : Promise.resolve(undefined),
    inv.receipt_id
      ? db('receipts').where('id', inv.receipt_id as number).first('year', 'number', 'method', 'created_at', 'cheque_number')
      : Promise.resolve(undefined),
  ]);
  const c = contacts[0] as Record<string, string> | undefined;
  const billTo = c
    ? {
        name: `${c.last_name} ${c.first_name}`.trim(),
        addressLines: [c.address1, c.address2, c.address3, `${c.postal_code} ${c.city}`.trim()].filter((l): l is string => Boolean(l && l.trim())),
      }
    : null;
  let paymentInfo: InvoiceDetail['payment'] = null;
  if (payment) {
    paymentInfo = {
      method: 'Paiement en ligne (PayFiP)',
      reference: payment.numauto ? `${payment.refdet} — autorisation ${payment.numauto}` : payment.refdet,
      paidAt: payment.paid_at_local ?? null,
    };
  } else if (receipt) {
    paymentInfo = {
      method: `${METHOD_LABELS[receipt.method] ?? receipt.method} au guichet de la Mairie`,
      reference: `Reçu n° ${receipt.year}-${String(receipt.number).padStart(6, '0')}${receipt.cheque_number ? ` — chèque n° ${receipt.cheque_number}` : ''}`,
      paidAt: parisDateOf(new Date(receipt.created_at)),
    };
  }
  return {
    ...summaryOf(inv),
    familyId,
    familyName: inv.family_name as string,
    familyCode: inv.family_code as string,
    lines: lines.map((l: Record<string, unknown>) => ({
      label: l.label as string,
      quantity: l.quantity as number,
      unitCents: l.unit_cents as number,
      totalCents: l.total_cents as number,
    })),
    billTo,
    payment: paymentInfo,
  };
}

// ---------------------------------------------------------------------------------------------
// Monthly statement from the ledger

export interface StatementEntry {
  date: string;
  label: string;
  amountCents: number;
}

export interface StatementWallet {
  walletId: number;
  label: string;
  openingCents: number;
  entries: StatementEntry[];
  debitsCents: number;
  creditsCents: number;
  closingCents: number;
}

export interface MonthlyStatement {
  familyId: number;
  familyName: string;
  familyCode: string;
  month: string;
  from: string;
  to: string;
  wallets: StatementWallet[];
  billTo: InvoiceDetail['billTo'];
}

/** Movements of every wallet in a Paris calendar month, with opening and closing balances. */
export async function monthlyStatement(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; month: string },
): Promise<MonthlyStatement> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month)) throw invalid('Mois invalide (format attendu : AAAA-MM).');
  authorize(actor, 'billing.read', { familyId: input.familyId, what: 'Facture' });
  const from = `${input.month}-01`;
  const nextMonth = addDays(`${input.month}-28`, 4).slice(0, 7) + '-01';
  const to = addDays(nextMonth, -1);
  const now = ctx.clock.now();
  if (from > parisToday(now)) throw invalid('Ce mois n’est pas encore commencé.');
  const start = parisInstant(from, '00:00').toISOString();
  const end = parisInstant(nextMonth, '00:00').toISOString();
  const db = ctx.db;
  const family: { id: number; name: string; code: string } | undefined = await db('families')
    .where('id', input.familyId)
    .first('id', 'name', 'code');
  if (!family) throw notFound('Famille');
  const [wallets, openings, entries, contacts] = await Promise.all([
    db('wallets').orderBy([{ column: 'position' }, { column: 'id' }]).select('id', 'label'),
    db('ledger_entries')
      .where('family_id', input.familyId)
      .where('created_at', '<', start)
      .groupBy('wallet_id')
      .select('wallet_id')
      .sum({ total: 'amount_cents' }),
    db('ledger_entries')
      .where('family_id', input.familyId)
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .select('wallet_id', 'label', 'amount_cents', 'created_at'),
    db('contacts')
      .where('family_id', input.familyId)
      .orderBy([{ column: 'use_for_billing', order: 'desc' }, { column: 'position' }, { column: 'id' }])
      .limit(1)
      .select(),
  ]);
  const openingBy = new Map(
    (openings as unknown as Array<{ wallet_id: number; total: number | string }>).map((o) => [o.wallet_id, Number(o.total)]),
  );
  const result: StatementWallet[] = [];
  for (const w of wallets as Array<{ id: number; label: string }>) {
    const mine = (entries as Array<{ wallet_id: number; label: string; amount_cents: number; created_at: string }>).filter(
      (e) => e.wallet_id === w.id,
    );
    const openingCents = openingBy.get(w.id) ?? 0;
    // Wallets never used by the family stay off the paper.
    if (mine.length === 0 && openingCents === 0 && !openingBy.has(w.id)) continue;
    const debitsCents = mine.filter((e) => e.amount_cents < 0).reduce((s, e) => s + e.amount_cents, 0);
    const creditsCents = mine.filter((e) => e.amount_cents > 0).reduce((s, e) => s + e.amount_cents, 0);
    result.push({
      walletId: w.id,
      label: w.label,
      openingCents,
      entries: mine.map((e) => ({ date: parisDateOf(new Date(e.created_at)), label: e.label, amountCents: e.amount_cents })),
      debitsCents,
      creditsCents,
      closingCents: openingCents + debitsCents + creditsCents,
    });
  }
  const c = contacts[0] as Record<string, string> | undefined;
  return {
    familyId: family.id,
    familyName: family.name,
    familyCode: family.code,
    month: input.month,
    from,
    to,
    wallets: result,
    billTo: c
      ? {
          name: `${c.last_name} ${c.first_name}`.trim(),
          addressLines: [c.address1, c.address2, c.address3, `${c.postal_code} ${c.city}`.trim()].filter((l): l is string => Boolean(l && l.trim())),
        }
      : null,
  };
}
