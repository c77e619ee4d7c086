import { z } from 'zod';
import {
  isPortalReturnPath,
  RETURN_PATH_MESSAGE,
  TOPUP_MAX_PARTS,
  TOPUP_PART_MESSAGE,
  TOPUP_PART_MIN_CENTS,
  type TopUpPart,
} from './payment-parts.js';

export * from './payment-parts.js';

/**
 * Online top-up through PayFiP ("Créditer mon compte"). The parent chooses an amount in cents, or
 * a number of tickets of an activity, or an amount for each of several wallets (`parts`: one
 * PayFiP payment of their sum, each wallet credited with its part); the server answers where to
 * send the browser. `returnPath` is where the parent started: the return page sends her back there.
 *
 * POST /api/parent/topups      body TopUpRequest  -> TopUpAnswer
 * GET  /api/parent/topups/:id                     -> TopUpStatus
 * After paying, PayFiP sends the browser back to <returnPath, else /factures>?paiement=<paymentId>.
 */

/** PayFiP's limits: 1,00 € to 9 999,99 €, in cents. */
export const TOPUP_MIN_CENTS = 100;
export const TOPUP_MAX_CENTS = 999_999;
export const TOPUP_MAX_TICKETS = 200;

export const TOPUP_AMOUNT_MESSAGE = 'Le montant doit être compris entre 1,00 € et 9 999,99 €.';
export const TOPUP_CENTS_MESSAGE = 'Montant invalide : indiquez un montant en euros avec deux décimales au plus.';

const walletIdSchema = z.number({ error: 'Choisissez le porte-monnaie à créditer.' }).int({ error: 'Porte-monnaie invalide.' }).positive({ error: 'Porte-monnaie invalide.' });

const partSchema = z
  .object({
    walletId: walletIdSchema,
    amountCents: z.number({ error: TOPUP_CENTS_MESSAGE }).int({ error: TOPUP_CENTS_MESSAGE }).min(TOPUP_PART_MIN_CENTS, { error: TOPUP_PART_MESSAGE }).max(TOPUP_MAX_CENTS, { error: TOPUP_AMOUNT_MESSAGE }),
  })
  .strict();

export const topUpRequest = z
  .object({
    walletId: walletIdSchema.optional(),
    parts: z
      .array(partSchema, { error: 'Indiquez un montant pour au moins un porte-monnaie.' })
      .min(1, { error: 'Indiquez un montant pour au moins un porte-monnaie.' })
      .max(TOPUP_MAX_PARTS, { error: 'Trop de porte-monnaie dans un seul paiement.' })
      .optional(),
    returnPath: z.string({ error: RETURN_PATH_MESSAGE }).refine(isPortalReturnPath, { error: RETURN_PATH_MESSAGE }).optional(),
    amountCents: z
      .number({ error: TOPUP_CENTS_MESSAGE })
      .int({ error: TOPUP_CENTS_MESSAGE })
      .min(TOPUP_MIN_CENTS, { error: TOPUP_AMOUNT_MESSAGE })
      .max(TOPUP_MAX_CENTS, { error: TOPUP_AMOUNT_MESSAGE })
      .optional(),
    activityId: z.number({ error: 'Activité invalide.' }).int({ error: 'Activité invalide.' }).positive({ error: 'Activité invalide.' }).optional(),
    tickets: z
      .number({ error: 'Nombre de tickets invalide.' })
      .int({ error: 'Le nombre de tickets doit être un nombre entier.' })
      .min(1, { error: 'Indiquez au moins un ticket.' })
      .max(TOPUP_MAX_TICKETS, { error: `Au plus ${TOPUP_MAX_TICKETS} tickets par paiement.` })
      .optional(),
  })
  .strict()
  .refine((v) => [v.amountCents, v.tickets, v.parts].filter((x) => x !== undefined).length === 1, {
    error: 'Indiquez soit un montant, soit un nombre de tickets.',
  })
  .refine((v) => (v.parts === undefined) !== (v.walletId === undefined), {
    error: 'Choisissez le porte-monnaie à créditer.',
    path: ['walletId'],
  })
  .refine((v) => (v.tickets === undefined) === (v.activityId === undefined), {
    error: 'Un nombre de tickets se choisit avec son activité.',
  });

export type TopUpRequest = z.infer<typeof topUpRequest>;

export interface TopUpAnswer {
  paymentId: number;
  /** The PayFiP payment page (…/paiementws.web?idop=…): send the browser there. */
  redirectUrl: string;
}

/** pending: waiting for PayFiP's result; error: PayFiP could not be reached when creating it. */
export type TopUpStatusCode = 'pending' | 'paid' | 'refused' | 'abandoned' | 'expired' | 'error';

export interface TopUpStatus {
  id: number;
  status: TopUpStatusCode;
  /** A French sentence describing the status, ready to show. */
  message: string;
  /** The payment's total (PayFiP's montant). */
  amountCents: number;
  /** The first part's wallet (a payment of before the split has just this one). */
  walletId: number;
  walletLabel: string;
  /** Each wallet's part, in the order chosen; one part for a single-wallet payment. */
  parts: TopUpPart[];
  /** Where the parent started, sent back there after paying. */
  returnPath: string | null;
  refdet: string;
  createdAt: string;
  /** Paris local "YYYY-MM-DD HH:MM" of the payment, as PayFiP gave it. */
  paidAtLocal: string | null;
  invoiceId: number | null;
  invoiceNumber: string | null;
}

export const TOPUP_STATUS_LABELS: Record<TopUpStatusCode, string> = {
  pending: 'Paiement en cours de vérification',
  paid: 'Paiement accepté',
  refused: 'Paiement refusé',
  abandoned: 'Paiement abandonné',
  expired: 'Paiement expiré',
  error: 'Paiement impossible',
};

/**
 * What PayFiP (or anyone) sends to /payfip/notification and /payfip/retour: only `idop` is read,
 * from the form or the address; a malformed one counts as absent. Everything else comes from
 * PayFiP's own answer to the server's question.
 */
export const payfipCallbackInput = z.object({ idop: z.string().optional().catch(undefined) });
