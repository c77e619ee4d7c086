import { z } from 'zod';

/**
 * Restore of a backup (issue 11): the numbering confirmation the régisseur gives after a restore,
 * so that no receipt or invoice number that may already be on paper is issued again.
 */

/** One year's counter as the restore left it, and the number the screen proposes (restored last + 1). */
export interface NumberingYear {
  year: number;
  restoredLast: number;
  proposed: number;
}

export interface RestorePendingView {
  pending: boolean;
  /** ISO time the backup was taken; null when no restore waits. */
  backupTakenAt: string | null;
  restoredAt: string | null;
  receipts: NumberingYear[];
  invoices: NumberingYear[];
}

const lastNumber = z
  .number({ error: 'Numéro : un nombre entier est attendu.' })
  .int({ error: 'Numéro : un nombre entier est attendu.' })
  .min(0, { error: 'Numéro : un nombre positif est attendu.' })
  .max(9_999_999, { error: 'Numéro : 9 999 999 au plus.' });

const perYear = z.record(z.string().regex(/^\d{4}$/, { error: 'Année invalide.' }), lastNumber);

/** "Confirmer la numérotation": per year, the last receipt / invoice number issued on paper. */
export const confirmNumberingInput = z.strictObject(
  { receipts: perYear, invoices: perYear },
  { error: 'Numérotation invalide : champ inconnu ou donnée mal formée.' },
);
export type ConfirmNumberingInput = z.infer<typeof confirmNumberingInput>;

/** The setup page's restore: the token that "Voir le contenu" answered, sent back by "Restaurer". */
const setupToken = z.string({ error: 'Cette sauvegarde n’est plus prête.' }).max(100, { error: 'Cette sauvegarde n’est plus prête.' }).optional();
export const setupRestoreApplyInput = z.object({ token: setupToken });
/** The numbering confirmed on the setup page, allowed once with the restore's token (nobody is signed in). */
export const setupRestoreNumberingInput = z.object({ token: setupToken, receipts: perYear, invoices: perYear });

/** What a backup holds, shown before restoring it. */
export interface RestorePreview {
  takenAt: string;
  commune: string;
  counts: { familles: number; enfants: number; reservations: number; recus: number; factures: number; documents: number };
  lastReceiptNumbers: Record<string, number>;
  lastInvoiceNumbers: Record<string, number>;
  lastMigration: string;
  /** The backup of a demonstration (public passwords): never restored as a commune's install. */
  demo: boolean;
}

/** "Voir le contenu" on the setup page: the preview and the token "Restaurer" sends back. */
export interface StagedRestore {
  token: string;
  preview: RestorePreview;
}
