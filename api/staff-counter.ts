import { z } from 'zod';
import { dateSchema, idSchema, textField as text } from './common.js';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, type PaymentMethod } from './rules.js';

/**
 * The counter's part of the /api/staff contract (secretariat and admin): sales, receipts and
 * their reversal, the cash journal and its sessions. Re-exported by ./staff.ts.
 */

export { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, type PaymentMethod };

export const saleSchema = z
  .object({
    familyId: idSchema,
    walletId: idSchema.optional(),
    activityId: idSchema.optional(),
    amountCents: z.number({ error: 'Montant invalide.' }).int({ error: 'Le montant doit être en centimes entiers.' }).min(1, { error: 'Le montant doit être positif.' }).max(999_999, { error: 'Montant trop élevé (9 999,99 € au plus).' }).optional(),
    tickets: z.number({ error: 'Nombre de tickets invalide.' }).int({ error: 'Nombre de tickets invalide.' }).min(1, { error: 'Au moins un ticket.' }).max(500, { error: 'Au plus 500 tickets.' }).optional(),
    method: z.enum(PAYMENT_METHODS, { error: 'Mode de paiement invalide : espèces, chèque ou carte bancaire.' }),
    chequeNumber: text('Numéro du chèque', 40).optional(),
    chequeBank: text('Banque', 80).optional(),
    /** One per form submission, reused on retry: a retry answers the first receipt. */
    idempotencyKey: z.string({ error: 'Clé d’encaissement invalide.' }).regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'Clé d’encaissement invalide.' }).optional(),
  })
  .refine((v) => (v.amountCents == null) !== (v.tickets == null), { error: 'Indiquez soit un montant, soit un nombre de tickets.', path: ['amountCents'] })
  .refine((v) => v.tickets == null || v.activityId != null, { error: 'Choisissez l’activité des tickets.', path: ['activityId'] })
  .refine((v) => v.method !== 'cheque' || !!v.chequeNumber, { error: 'Indiquez le numéro du chèque.', path: ['chequeNumber'] })
  .refine((v) => v.method !== 'cheque' || !!v.chequeBank, { error: 'Indiquez la banque du chèque.', path: ['chequeBank'] });
export type SaleInput = z.infer<typeof saleSchema>;

export interface ReceiptView {
  id: number;
  year: number;
  number: number;
  /** "2026-000042" */
  numberLabel: string;
  familyId: number;
  familyCode: string;
  familyName: string;
  walletId: number;
  walletLabel: string;
  amountCents: number;
  /** "12,50 €" */
  amountLabel: string;
  method: PaymentMethod;
  methodLabel: string;
  chequeNumber: string | null;
  chequeBank: string | null;
  activityId: number | null;
  activityName: string | null;
  tickets: number | null;
  cancelsReceiptId: number | null;
  cancelsReceiptNumber: string | null;
  cancelledByReceiptId: number | null;
  cancelledByReceiptNumber: string | null;
  reason: string | null;
  staffUserId: number;
  staffName: string;
  businessDate: string;
  /** The cash session of its day it belongs to: 1, then 2 after the first closure, … */
  cashSession: number;
  createdAt: string;
  ledgerEntryId: number | null;
}

export const cancelSaleSchema = z.object({
  reason: text('Motif de l’annulation', 200, true).refine((v) => v.length >= 3, { error: 'Indiquez le motif de l’annulation (au moins 3 caractères).' }),
});

export interface MethodTotals {
  especes: number;
  cheque: number;
  carte: number;
}
export interface CashClosureView {
  id: number;
  businessDate: string;
  session: number;
  totalCents: number;
  totalsByMethod: MethodTotals;
  receiptCount: number;
  staffUserId: number;
  staffName: string;
  closedAt: string;
}
export interface CashJournalView {
  date: string;
  receipts: ReceiptView[];
  totalsByMethod: MethodTotals;
  totalCents: number;
  count: number;
  closure: CashClosureView | null;
  /** Receipts of the day recorded after this session's closure (they form the next session). */
  receiptsAfterClosure: number;
  /** The session shown (1 = the day's first). */
  session: number;
  /** Every session of the day, closed ones first; the open one last, if any. */
  sessions: CashSessionSummary[];
}
export interface CashSessionSummary {
  session: number;
  closed: boolean;
  count: number;
  totalCents: number;
}
/** The family's price of one ticket per activity (its quotient-familial bracket), for the sale form. */
export interface FamilyPricesResponse {
  prices: Array<{ activityId: number; priceCents: number }>;
}
/** Today's counter: the session a sale would go to, for the sale form's notice. */
export interface CashTodayView {
  date: string;
  openSession: number;
  closedSessions: number;
}
export const dateParams = z.object({ date: dateSchema });
export const cashSessionQuery = z.object({
  session: z.coerce.number({ error: 'Session invalide.' }).int({ error: 'Session invalide.' }).min(1, { error: 'Session invalide.' }).max(99, { error: 'Session invalide.' }).optional(),
});
