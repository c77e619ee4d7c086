import { z } from 'zod';
import { dateSchema } from './common.js';
import type { TopUpStatusCode } from './payments.js';
import type { TopUpPart } from './payment-parts.js';

/**
 * The staff screen "Paiements en ligne" (régie: admin and secretariat; 403 for restauration),
 * to match PayFiP's statements payment by payment.
 *
 * GET  /api/staff/online-payments?status=&from=&to=&page=   -> OnlinePaymentsPage
 * POST /api/staff/online-payments/:id/verify                -> OnlinePaymentVerifyResult
 * "Vérifier maintenant" asks PayFiP (recupererDetailPaiementSecurise) and answers the outcome in French.
 */

export const ONLINE_PAYMENTS_PAGE_SIZE = 25;

export const ONLINE_PAYMENT_STATUSES = ['pending', 'paid', 'refused', 'abandoned', 'expired', 'error'] as const satisfies readonly TopUpStatusCode[];

/** The régie's words for each status. */
export const ONLINE_PAYMENT_STATUS_LABELS: Record<TopUpStatusCode, string> = {
  pending: 'En attente de PayFiP',
  paid: 'Payé',
  refused: 'Refusé',
  abandoned: 'Abandonné',
  expired: 'Expiré',
  error: 'Échec à la création',
};

export const onlinePaymentsQuery = z
  .object({
    status: z.enum(ONLINE_PAYMENT_STATUSES, { error: 'Statut inconnu.' }).optional(),
    /** Paris days of creation, inclusive. */
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    page: z.coerce.number({ error: 'Page invalide.' }).int({ error: 'Page invalide.' }).min(1, { error: 'Page invalide.' }).max(100_000, { error: 'Page invalide.' }).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { error: 'La date de fin doit suivre la date de début.', path: ['to'] });

export type OnlinePaymentsQuery = z.infer<typeof onlinePaymentsQuery>;

export interface OnlinePaymentRow {
  id: number;
  familyId: number;
  familyName: string;
  walletLabel: string;
  amountCents: number;
  /** Each wallet's part; one part for a single-wallet payment. */
  parts: TopUpPart[];
  status: TopUpStatusCode;
  /** The status in French, with what is pending on (e.g. "abandon non définitif", "PayFiP injoignable"). */
  statusLabel: string;
  refdet: string;
  idOp: string | null;
  resultrans: string | null;
  numauto: string | null;
  /** ISO-8601 UTC. */
  createdAt: string;
  lastCheckedAt: string | null;
  nextCheckAt: string | null;
  /** Paris local "YYYY-MM-DD HH:MM" of the transaction, as PayFiP gave it. */
  paidAtLocal: string | null;
  checkCount: number;
  lastError: string | null;
}

export interface OnlinePaymentsPage {
  rows: OnlinePaymentRow[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

export interface OnlinePaymentVerifyResult {
  /** What PayFiP's answer changed, in French, ready to show. */
  message: string;
  /** paid | already_paid | refused | abandoned | pending | expired | error */
  outcome: string;
  payment: OnlinePaymentRow;
}
