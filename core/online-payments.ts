/**
 * The régie's view of online payments ("Paiements en ligne"): every payment with its PayFiP
 * trace, filtered and paged in one query, and "Vérifier maintenant", which asks PayFiP at once.
 */
import type { Actor, CoreContext } from './context.js';
import { invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { addDays, isValidDate, parisInstant } from './dates.js';
import { audit } from './audit.js';
import { settlePayment, type PayfipDeps, type PaymentRow, type SettleOutcome } from './payment-settle.js';
import { partsOf } from './payment-parts.js';
import type { TopUpPart } from '../api/payment-parts.js';
import {
  ONLINE_PAYMENT_STATUS_LABELS,
  ONLINE_PAYMENT_STATUSES,
  ONLINE_PAYMENTS_PAGE_SIZE,
  type OnlinePaymentRow,
  type OnlinePaymentsPage,
  type OnlinePaymentVerifyResult,
} from '../api/online-payments.js';
import type { TopUpStatusCode } from '../api/payments.js';

type ListedRow = PaymentRow & { family_name: string; wallet_label: string };

function statusLabel(r: Pick<PaymentRow, 'status' | 'resultrans' | 'unanswered_checks'>): string {
  const base = ONLINE_PAYMENT_STATUS_LABELS[r.status] ?? r.status;
  if (r.status !== 'pending') return base;
  if (r.unanswered_checks > 0) return `${base} — PayFiP injoignable (${r.unanswered_checks} essai${r.unanswered_checks > 1 ? 's' : ''})`;
  if (r.resultrans === 'A') return `${base} — abandon non définitif`;
  return base;
}

function toView(r: ListedRow, parts: Map<number, TopUpPart[]>): OnlinePaymentRow {
  return {
    id: r.id,
    familyId: r.family_id,
    familyName: r.family_name,
    walletLabel: r.wallet_label,
    amountCents: r.amount_cents,
    parts: parts.get(r.id) ?? [],
    status: r.status,
    statusLabel: statusLabel(r),
    refdet: r.refdet,
    idOp: r.id_op,
    resultrans: r.resultrans,
    numauto: r.numauto,
    createdAt: r.created_at,
    lastCheckedAt: r.last_checked_at,
    nextCheckAt: r.status === 'pending' ? r.next_check_at : null,
    paidAtLocal: r.paid_at_local,
    checkCount: r.check_count,
    lastError: r.last_error,
  };
}

function baseQuery(ctx: CoreContext) {
  return ctx
    .db('online_payments as o')
    .join('families as f', 'f.id', 'o.family_id')
    .join('wallets as w', 'w.id', 'o.wallet_id')
    .select('o.*', 'f.name as family_name', 'w.label as wallet_label');
}

export interface OnlinePaymentsFilter {
  status?: TopUpStatusCode;
  /** Paris days of creation, inclusive. */
  from?: string;
  to?: string;
  page?: number;
}

/** Newest first; one query per page (the row after the page tells whether there is more). */
export async function listOnlinePayments(ctx: CoreContext, actor: Actor, f: OnlinePaymentsFilter): Promise<OnlinePaymentsPage> {
  authorizeStaff(actor, 'online-payments.verify');
  if (f.status && !(ONLINE_PAYMENT_STATUSES as readonly string[]).includes(f.status)) throw invalid('Statut inconnu.', { field: 'status' });
  if (f.from && !isValidDate(f.from)) throw invalid('Date de début invalide.', { field: 'from' });
  if (f.to && !isValidDate(f.to)) throw invalid('Date de fin invalide.', { field: 'to' });
  if (f.from && f.to && f.to < f.from) throw invalid('La date de fin doit suivre la date de début.', { field: 'to' });
  const page = Math.max(1, Math.floor(f.page ?? 1));
  const size = ONLINE_PAYMENTS_PAGE_SIZE;

  const q = baseQuery(ctx)
    .orderBy([{ column: 'o.created_at', order: 'desc' }, { column: 'o.id', order: 'desc' }])
    .limit(size + 1)
    .offset((page - 1) * size);
  if (f.status) q.where('o.status', f.status);
  // Paris days to UTC instants: "today" is the régie's today.
  if (f.from) q.where('o.created_at', '>=', parisInstant(f.from, '00:00').toISOString());
  if (f.to) q.where('o.created_at', '<', parisInstant(addDays(f.to, 1), '00:00').toISOString());
  const rows = (await q) as ListedRow[];
  const shown = rows.slice(0, size);
  const parts = await partsOf(ctx.db, shown);
  return { rows: shown.map((r) => toView(r, parts)), page, pageSize: size, hasMore: rows.length > size };
}

const outcomeMessages: Record<SettleOutcome, string> = {
  paid: 'PayFiP confirme le paiement : le porte-monnaie de la famille vient d’être crédité.',
  already_paid: 'Paiement déjà reçu et crédité : rien à faire.',
  refused: 'PayFiP indique un paiement refusé par la banque : rien n’est crédité.',
  abandoned: 'PayFiP indique que le payeur a abandonné le paiement : rien n’est crédité.',
  pending: 'PayFiP ne connaît pas encore de résultat définitif : le paiement reste en attente et sera vérifié à nouveau automatiquement.',
  expired: 'PayFiP ne connaît aucun paiement abouti pour cette opération : le paiement est expiré, rien n’est crédité.',
  unknown: 'Ce paiement est inconnu.',
  error: 'PayFiP n’a pas pu être interrogé ou sa réponse ne correspond pas au paiement : rien n’est crédité, une nouvelle vérification automatique suivra.',
};

/** "Vérifier maintenant": asks PayFiP about one payment and acts on its answer, audited. */
export async function verifyOnlinePayment(ctx: CoreContext, actor: Actor, paymentId: number, deps: PayfipDeps = {}): Promise<OnlinePaymentVerifyResult> {
  authorizeStaff(actor, 'online-payments.verify');
  const before = (await baseQuery(ctx).where('o.id', paymentId).first()) as ListedRow | undefined;
  if (!before) throw notFound('Paiement');
  if (!before.id_op) throw invalid('Ce paiement n’a pas reçu d’identifiant PayFiP (le parent n’a pas atteint la page de paiement) : il n’y a rien à vérifier.');

  const { outcome } = await settlePayment(ctx, before.id_op, deps);
  const after = (await baseQuery(ctx).where('o.id', paymentId).first()) as ListedRow;
  let message = outcomeMessages[outcome];
  if (outcome === 'error' && after.last_error) message = `${message} (${after.last_error})`;
  await audit(
    ctx.db,
    actor,
    {
      action: 'payment.verify',
      entity: 'online_payment',
      entityId: paymentId,
      familyId: before.family_id,
      before: { status: before.status },
      after: { status: after.status, outcome, lastError: after.last_error },
    },
    ctx.clock.now(),
  );
  return { message, outcome, payment: toView(after, await partsOf(ctx.db, [after])) };
}
