import { z } from 'zod';

/**
 * "Cost before commitment": the preview of a batch (semaine type, abonnement, toute la semaine,
 * toutes les activités, several cells) and what a batch answers once done. The preview and
 * the batch run the same plan on the server, so their totals agree to the cent.
 */

export const BATCH_KINDS = ['changes', 'week', 'day', 'template', 'subscription'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

/** POST /api/parent/planning/preview: {kind, ...the body the batch route of that kind takes}. */
export const batchPreviewKindSchema = z.object({ kind: z.enum(BATCH_KINDS, { error: 'Type de lot inconnu.' }) });

/**
 * The flag every batch route accepts: book only what the wallets can pay. The server decides
 * which part that is when it applies the batch, under the rules of that moment.
 */
export const onlyPayableSchema = z.object({ onlyPayable: z.boolean({ error: 'Choix « réserver ce qui peut être payé » invalide.' }).optional() });

/** What one wallet pays or gets back in a batch. */
export interface BatchWalletTotal {
  walletId: number;
  walletLabel: string;
  bookCount: number;
  debitCents: number;
  cancelCount: number;
  refundCents: number;
  balanceCents: number;
  /** The balance once the batch is done. */
  balanceAfterCents: number;
  /** "12 réservations, 37,20 € sur Restauration scolaire ; 3 annulations, 9,30 € remboursés" */
  text: string;
}

/** A set of cells and what they cost, per wallet. */
export interface BatchPart {
  bookCount: number;
  cancelCount: number;
  debitCents: number;
  refundCents: number;
  wallets: BatchWalletTotal[];
  /** The wallets' sentences joined, or "Aucun changement." */
  text: string;
}

/** A cell the rules refuse (deadline passed, full, already pointed…), with the reason. */
export interface BatchRefusedCell {
  childId: number;
  activityId: number;
  date: string;
  action: 'book' | 'cancel';
  /** "Cantine — Julia — lundi 09/03 : Date limite dépassée (vendredi 06/03 à 10:00)" */
  text: string;
  message: string;
}

/** A wallet that lacks credit for the whole batch. */
export interface BatchWalletMissing {
  walletId: number;
  walletLabel: string;
  missingCents: number;
  /** "Il manque 3,10 € sur Transport." */
  text: string;
}

export interface BatchPreviewResponse {
  kind: BatchKind;
  /** Everything the rules allow. */
  full: BatchPart;
  refused: BatchRefusedCell[];
  /** Whether the wallets can pay all of `full`. */
  payable: boolean;
  missing: BatchWalletMissing[];
  /** When not payable: what can be done without a wallet lacking credit, and the question to ask. */
  payablePart: (BatchPart & { question: string; leftCount: number }) | null;
  /** Set when the batch stops short of what was asked, e.g. at the mairie's booking horizon. */
  notice?: string;
}

/** What a batch did, in the same words as its preview. */
export interface BatchDoneSummary extends BatchPart {
  /** Cells left unbooked because a wallet lacked credit (only with onlyPayable). */
  leftForCredit: number;
  /** Set when the batch did less than everything the rules allow: say it to the parent. */
  notice?: string;
}
