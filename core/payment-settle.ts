/**
 * Settling an online payment from PayFiP's own answer (recupererDetailPaiementSecurise), and the
 * later check of the payments whose notification never came. See ../shared/PAYFIP.md.
 *
 * - Paid (P, V): marked paid, each wallet of its split credited, one paid invoice listing the split
 *   and one confirmation mail, in ONE transaction; the ledger's (online_payment_id, wallet_id) is
 *   unique, so each wallet is credited once per payment.
 * - Refused (R, Z): final at once.
 * - No result yet (P5), unknown idOp (P1) or abandoned (A): not final during the first
 *   FINAL_AFTER_MS (the payer may still pay with the same idOp); PayFiP's same answer after that
 *   closes the payment (expired, or abandoned).
 * - No answer (network, PayFiP unavailable, an answer that does not describe the payment): the
 *   payment stays pending and is asked again with a growing delay, never expired on our own.
 */
import { portsOf, type CoreContext } from './context.js';
import { writeTransaction } from './tx.js';
import { audit } from './audit.js';
import { creditParts } from './payment-parts.js';
import { parisDateOf } from './dates.js';
import { issueInvoice } from './invoices.js';
import { enqueueMail } from './mail/outbox.js';
import { paymentConfirmationMail } from './mail/templates.js';
import { loadMailCommune } from './mail/commune.js';
import { getPayfipSettings, type PayfipSettings } from './payfip/settings.js';
import { parisLocalFromPayfip, PayfipFault, type PaymentDetail } from './payfip/client.js';
import type { PayfipGateway } from './ports.js';
import type { TopUpStatusCode } from '../api/payments.js';

export type PaymentStatus = TopUpStatusCode;

/** First check of a payment this long after its creation, then at this pace while PayFiP answers "not yet". */
export const RECHECK_AFTER_MS = 60_000;
/** Until this age, PayFiP's P5, P1 and A are not final (an idOp lives 15 minutes at PayFiP). */
export const EXPIRE_AFTER_MS = 20 * 60_000;
/** The longest wait between two checks while PayFiP cannot be reached. */
export const MAX_RECHECK_DELAY_MS = 60 * 60_000;

/** Delay before the next check after `unanswered` checks in a row got no answer: 1, 2, 4 … 60 minutes. */
export function unansweredDelayMs(unanswered: number): number {
  return Math.min(RECHECK_AFTER_MS * 2 ** Math.min(Math.max(unanswered - 1, 0), 16), MAX_RECHECK_DELAY_MS);
}

export interface PayfipDeps {
  /** Injected in tests; by default the context's PayFiP port at the settings' address. */
  client?: PayfipGateway;
  settings?: PayfipSettings;
}

export async function resolveDeps(ctx: CoreContext, deps: PayfipDeps = {}): Promise<{ client: PayfipGateway; settings: PayfipSettings }> {
  const settings = deps.settings ?? (await getPayfipSettings(ctx.db));
  const client = deps.client ?? portsOf(ctx).payfip({ serviceUrl: settings.serviceUrl });
  return { client, settings };
}

export interface PaymentRow {
  id: number;
  refdet: string;
  family_id: number;
  wallet_id: number;
  parent_account_id: number | null;
  amount_cents: number;
  email: string;
  objet: string;
  /** Where the parent started (a local portal path), null for payments of before. */
  return_path: string | null;
  status: PaymentStatus;
  id_op: string | null;
  resultrans: string | null;
  numauto: string | null;
  paid_at_local: string | null;
  check_count: number;
  last_checked_at: string | null;
  last_error: string | null;
  next_check_at: string | null;
  unanswered_checks: number;
  created_at: string;
  updated_at: string;
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === '23505' || /UNIQUE constraint failed/i.test(e.message ?? '');
}

export type SettleOutcome =
  | 'paid' // credited now
  | 'already_paid' // was credited before: nothing done
  | 'refused'
  | 'abandoned' // final: A answered after EXPIRE_AFTER_MS
  | 'pending' // PayFiP answered, the result is not final yet (P5, P1 or A in the first 20 minutes)
  | 'expired' // PayFiP still knows no result after EXPIRE_AFTER_MS
  | 'unknown' // not one of our payments (forged or foreign idop): nothing done
  | 'error'; // PayFiP unreachable, or its answer did not match the payment: nothing credited, asked again later

export interface SettleResult {
  outcome: SettleOutcome;
  paymentId: number | null;
}

const IDOP_RE = /^[A-Za-z0-9-]{1,64}$/;
const clip = (text: string) => text.slice(0, 300);

/**
 * Settles a payment by its idOp, acting only on PayFiP's answer to recupererDetailPaiementSecurise.
 * Safe to call any number of times, concurrently: the wallet is credited once. Any payment not yet
 * paid is asked (an expired or abandoned one too: PayFiP's later "paid" still credits it).
 */
export async function settlePayment(ctx: CoreContext, idOp: string, deps: PayfipDeps = {}): Promise<SettleResult> {
  if (typeof idOp !== 'string' || !IDOP_RE.test(idOp)) return { outcome: 'unknown', paymentId: null };
  const payment: PaymentRow | undefined = await ctx.db('online_payments').where('id_op', idOp).first();
  if (!payment) return { outcome: 'unknown', paymentId: null };
  if (payment.status === 'paid') return { outcome: 'already_paid', paymentId: payment.id };

  const { client, settings } = await resolveDeps(ctx, deps);
  let detail: PaymentDetail;
  try {
    detail = await client.recupererDetailPaiementSecurise(idOp);
  } catch (err) {
    // P5: in progress. P1 on one of our own idOps: PayFiP does not know it (not yet, or purged).
    const answered = err instanceof PayfipFault && (err.code === 'P5' || err.code === 'P1');
    return recordUnsettled(ctx, payment, { answered, note: String((err as Error).message) });
  }

  // The answer must describe this very payment; anything else is refused and left for a human.
  const mismatch =
    detail.idOp !== idOp
      ? 'idOp'
      : detail.refdet !== payment.refdet
        ? 'refdet'
        : detail.montant !== payment.amount_cents
          ? 'montant'
          : detail.numcli !== settings.numcli
            ? 'numcli'
            : null;
  if (mismatch) return recordUnsettled(ctx, payment, { answered: false, note: `Réponse PayFiP incohérente (${mismatch})` });

  const paidAtLocal = parisLocalFromPayfip(detail.dattrans, detail.heurtrans);
  switch (detail.resultrans) {
    case 'P':
    case 'V':
      return creditPayment(ctx, payment.id, detail, paidAtLocal, settings);
    case 'R':
    case 'Z':
      return closePayment(ctx, payment.id, 'refused', detail, paidAtLocal);
    case 'A':
      if (ageMs(ctx, payment) >= EXPIRE_AFTER_MS) return closePayment(ctx, payment.id, 'abandoned', detail, paidAtLocal);
      return recordUnsettled(ctx, payment, { answered: true, note: 'PayFiP : paiement abandonné (non définitif pendant 20 minutes)', resultrans: 'A' });
    default:
      return recordUnsettled(ctx, payment, { answered: false, note: `Résultat PayFiP inconnu : ${detail.resultrans}` });
  }
}

const ageMs = (ctx: CoreContext, p: Pick<PaymentRow, 'created_at'>) => ctx.clock.now().getTime() - Date.parse(p.created_at);

/**
 * PayFiP gave no final result. `answered`: PayFiP itself said "not yet" (asked again in a minute,
 * expired once EXPIRE_AFTER_MS old); otherwise it could not be asked (asked again with back-off).
 */
async function recordUnsettled(
  ctx: CoreContext,
  payment: PaymentRow,
  how: { answered: boolean; note: string; resultrans?: string },
): Promise<SettleResult> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const common = { check_count: payment.check_count + 1, last_checked_at: nowIso, last_error: clip(how.note), updated_at: nowIso };
  const row = ctx.db('online_payments').where({ id: payment.id, status: payment.status });
  if (payment.status !== 'pending') {
    // Expired, refused or abandoned before: only the trace of this check changes.
    await row.update(common);
    return { outcome: how.answered && payment.status !== 'error' ? payment.status : 'error', paymentId: payment.id };
  }
  const created = Date.parse(payment.created_at);
  if (!how.answered) {
    const unanswered = payment.unanswered_checks + 1;
    const next = new Date(now.getTime() + unansweredDelayMs(unanswered)).toISOString();
    await row.update({ ...common, unanswered_checks: unanswered, next_check_at: next });
    return { outcome: 'error', paymentId: payment.id };
  }
  if (now.getTime() - created >= EXPIRE_AFTER_MS) {
    const n = await row.update({ ...common, status: 'expired', unanswered_checks: 0, next_check_at: null });
    return { outcome: n === 1 ? 'expired' : 'already_paid', paymentId: payment.id };
  }
  // Asked again within a minute, and once more right at EXPIRE_AFTER_MS for the final answer.
  const next = new Date(Math.min(now.getTime() + RECHECK_AFTER_MS, created + EXPIRE_AFTER_MS)).toISOString();
  await row.update({ ...common, unanswered_checks: 0, next_check_at: next, ...(how.resultrans ? { resultrans: how.resultrans } : {}) });
  return { outcome: 'pending', paymentId: payment.id };
}

async function closePayment(
  ctx: CoreContext,
  paymentId: number,
  status: 'refused' | 'abandoned',
  detail: PaymentDetail,
  paidAtLocal: string | null,
): Promise<SettleResult> {
  const nowIso = ctx.clock.now().toISOString();
  const n = await ctx.db('online_payments')
    .where('id', paymentId)
    .whereIn('status', ['pending', 'expired', 'error'])
    .update({
      status,
      resultrans: detail.resultrans,
      paid_at_local: paidAtLocal,
      last_checked_at: nowIso,
      last_error: null,
      next_check_at: null,
      unanswered_checks: 0,
      check_count: ctx.db.raw('?? + 1', ['check_count']),
      updated_at: nowIso,
    });
  if (n === 0) {
    const current: { status: PaymentStatus } | undefined = await ctx.db('online_payments').where('id', paymentId).first('status');
    return { outcome: current?.status === 'paid' ? 'already_paid' : status, paymentId };
  }
  return { outcome: status, paymentId };
}

async function creditPayment(
  ctx: CoreContext,
  paymentId: number,
  detail: PaymentDetail,
  paidAtLocal: string | null,
  settings: PayfipSettings,
): Promise<SettleResult> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  try {
    return await writeTransaction(ctx.db, async (trx) => {
      // Re-read under the write lock: a concurrent notification may have credited it meanwhile.
      const marked = await trx('online_payments')
        .where('id', paymentId)
        .whereNot('status', 'paid')
        .update({
          status: 'paid',
          resultrans: detail.resultrans,
          numauto: detail.numauto.slice(0, 20) || null,
          paid_at_local: paidAtLocal,
          last_checked_at: nowIso,
          last_error: null,
          next_check_at: null,
          unanswered_checks: 0,
          check_count: trx.raw('?? + 1', ['check_count']),
          updated_at: nowIso,
        });
      if (marked === 0) return { outcome: 'already_paid' as const, paymentId };
      const p: PaymentRow = await trx('online_payments').where('id', paymentId).first();
      // One ledger entry per wallet of the split (a payment of before has one part).
      const parts = await creditParts(trx, p, now);
      const invoice = await issueInvoice(
        trx,
        {
          familyId: p.family_id,
          kind: 'topup',
          status: 'paid',
          onlinePaymentId: p.id,
          issuedOn: paidAtLocal?.slice(0, 10) ?? parisDateOf(now),
          lines: parts.map((x) => ({ label: `Crédit du porte-monnaie « ${x.walletLabel} » — paiement en ligne (réf. ${p.refdet})`, quantity: 1, unitCents: x.amountCents })),
        },
        now,
      );
      const balanceCents = parts[0]!.balanceCents;
      const mail = paymentConfirmationMail({
        amountCents: p.amount_cents,
        walletLabel: parts[0]!.walletLabel,
        parts,
        refdet: p.refdet,
        paidAtLocal,
        invoiceNumber: invoice.number,
        balanceCents,
        portalUrl: settings.publicBaseUrl,
        commune: await loadMailCommune(trx),
      });
      await enqueueMail(trx, { kind: 'payment_confirmation', to: p.email, ...mail, familyId: p.family_id }, now);
      await audit(
        trx,
        { kind: 'system' },
        {
          action: 'payment.paid',
          entity: 'online_payment',
          entityId: p.id,
          familyId: p.family_id,
          before: { status: p.status },
          after: { status: 'paid', amountCents: p.amount_cents, resultrans: detail.resultrans, numauto: detail.numauto, invoiceNumber: invoice.number, balanceCents, parts: parts.map((x) => ({ walletId: x.walletId, amountCents: x.amountCents, balanceCents: x.balanceCents })) },
        },
        now,
      );
      return { outcome: 'paid' as const, paymentId };
    });
  } catch (err) {
    // Another process credited this payment between our read and our insert (PostgreSQL, or a
    // second server on the same file): the unique (online_payment_id, wallet_id) refused the second credit.
    if (isUniqueViolation(err)) return { outcome: 'already_paid', paymentId };
    throw err;
  }
}
// ---------------------------------------------------------------------------------------------
// The later check

export interface CheckResult {
  checked: number;
  paid: number;
  closed: number;
  expired: number;
  stillPending: number;
}

const NO_IDOP_NOTE = 'Aucun identifiant PayFiP : le parent n’a pas été dirigé vers la page de paiement.';

/**
 * Asks PayFiP about the pending payments that are due (their notification may never come). A
 * payment that never got an idOp could not be paid (the parent never reached PayFiP's page): it
 * is expired once EXPIRE_AFTER_MS old.
 */
export async function checkPendingPayments(ctx: CoreContext, deps: PayfipDeps = {}, limit = 50): Promise<CheckResult> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const result: CheckResult = { checked: 0, paid: 0, closed: 0, expired: 0, stillPending: 0 };

  const rows: Array<Pick<PaymentRow, 'id' | 'id_op' | 'created_at'>> = await ctx.db('online_payments')
    .where('status', 'pending')
    .where((q) => q.where('next_check_at', '<=', nowIso).orWhereNull('next_check_at'))
    .orderBy('next_check_at')
    .limit(limit)
    .select('id', 'id_op', 'created_at');
  if (rows.length === 0) return result;

  const resolved = await resolveDeps(ctx, deps);
  for (const row of rows) {
    if (!row.id_op) {
      const old = now.getTime() - Date.parse(row.created_at) >= EXPIRE_AFTER_MS;
      const n = await ctx.db('online_payments')
        .where({ id: row.id, status: 'pending' })
        .update(
          old
            ? { status: 'expired', last_error: NO_IDOP_NOTE, next_check_at: null, updated_at: nowIso }
            : { next_check_at: new Date(Date.parse(row.created_at) + EXPIRE_AFTER_MS).toISOString(), updated_at: nowIso },
        );
      if (old && n === 1) result.expired++;
      else result.stillPending++;
      continue;
    }
    result.checked++;
    const { outcome } = await settlePayment(ctx, row.id_op, resolved);
    if (outcome === 'paid') result.paid++;
    else if (outcome === 'refused' || outcome === 'abandoned') result.closed++;
    else if (outcome === 'expired') result.expired++;
    else if (outcome === 'pending' || outcome === 'error') result.stillPending++;
  }
  return result;
}
