import { z } from 'zod';

/**
 * Online top-up through PayFiP ("Créditer mon compte"). The parent chooses an amount in cents, or
 * a number of tickets of an activity; the server answers where to send the browser.
 *
 * POST /api/parent/topups      body TopUpRequest  -> TopUpAnswer
 * GET  /api/parent/topups/:id                     -> TopUpStatus
 * After paying, PayFiP sends the browser back to /factures?paiement=<paymentId>.
 */

/** PayFiP's limits: 1,00 € to 9 999,99 €, in cents. */
export const TOPUP_MIN_CENTS = 100;
export const TOPUP_MAX_CENTS = 999_999;
export const TOPUP_MAX_TICKETS = 200;

export const TOPUP_AMOUNT_MESSAGE = 'Le montant doit être compris entre 1,00 € et 9 999,99 €.';
export const TOPUP_CENTS_MESSAGE = 'Montant invalide : indiquez un montant en euros avec deux décimales au plus.';

export const topUpRequest = z
  .object({
    walletId: z.number({ error: 'Choisissez le porte-monnaie à créditer.' }).int({ error: 'Porte-monnaie invalide.' }).positive({ error: 'Porte-monnaie invalide.' }),
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
  .refine((v) => (v.amountCents !== undefined) !== (v.tickets !== undefined), {
    error: 'Indiquez soit un montant, soit un nombre de tickets.',
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
  amountCents: number;
  walletId: number;
  walletLabel: string;
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
