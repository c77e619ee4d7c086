import { z } from 'zod';
import { dateSchema, idSchema, textField as text } from './common.js';

/**
 * "Remise de chèques" of the régie (secretariat and admin): the cheques received at the counter
 * and not yet taken to the bank, the "bordereau de remise de chèques" made from a selection, the
 * past slips, and a cheque the bank rejected.
 */

/** At most this many cheques on one slip (a bank's slip holds a few dozen; room for a busy September). */
export const DEPOSIT_MAX_CHEQUES = 500;

export const chequeDepositSchema = z.object({
  receiptIds: z
    .array(idSchema, { error: 'Choisissez les chèques à remettre.' })
    .min(1, { error: 'Choisissez au moins un chèque.' })
    .max(DEPOSIT_MAX_CHEQUES, { error: `Au plus ${DEPOSIT_MAX_CHEQUES} chèques par bordereau.` }),
  bankAccountLabel: text('Compte de dépôt', 120, true),
});
export type ChequeDepositInput = z.infer<typeof chequeDepositSchema>;

export const chequeRejectionSchema = z.object({
  reason: text('Motif du rejet', 200, true).refine((s) => s.length >= 3, { error: 'Motif du rejet : au moins 3 caractères.' }),
  /** The day the bank's notice says; today when absent. */
  rejectedOn: dateSchema.optional(),
});
export type ChequeRejectionInput = z.infer<typeof chequeRejectionSchema>;

/** One cheque received at the counter (a cheque receipt that was not cancelled). */
export interface ChequeItem {
  receiptId: number;
  /** "2026-000042" */
  receiptNumber: string;
  businessDate: string;
  familyId: number;
  familyCode: string;
  familyName: string;
  chequeNumber: string;
  chequeBank: string;
  /** Who signed the cheque: the family's billing contact, else the household's name. */
  drawer: string;
  amountCents: number;
  /** The agent who took it at the counter (the régisseur or a deputy). */
  staffUserId: number;
  staffName: string;
}

/** Totals of the régisseur and of each deputy who took cheques. */
export interface SellerTotal {
  staffUserId: number;
  staffName: string;
  count: number;
  totalCents: number;
}

export interface DepositedCheque extends ChequeItem {
  rejection: { rejectedOn: string; reason: string } | null;
}

export interface ChequeDepositView {
  id: number;
  year: number;
  number: number;
  /** "2026-0003" */
  numberLabel: string;
  depositDate: string;
  totalCents: number;
  chequeCount: number;
  bankAccountLabel: string;
  staffName: string;
  createdAt: string;
  bySeller: SellerTotal[];
  cheques: DepositedCheque[];
}

export interface ChequesPageView {
  undeposited: ChequeItem[];
  undepositedBySeller: SellerTotal[];
  undepositedTotalCents: number;
  /** The newest slips first (the last 30). */
  deposits: ChequeDepositView[];
  /** The account of the last slip, to fill the form again. */
  lastBankAccountLabel: string;
}

export interface ChequeRejectionResult {
  receiptNumber: string;
  amountCents: number;
  /** The wallet's balance after the reversing entry. */
  balanceCents: number;
  warnedBy: 'mail' | 'message';
  /** What the console shows: what happened and how the family was told. */
  message: string;
}

export function formatDepositNumber(year: number, number: number): string {
  return `${year}-${String(number).padStart(4, '0')}`;
}
