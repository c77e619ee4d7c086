import { z } from 'zod';

/** The families' rights under the GDPR (issue 11): export, anonymisation, retention. */

export const RETENTION_YEARS_MIN = 1;
export const RETENTION_YEARS_MAX = 10;
export const DEFAULT_RETENTION_YEARS = 3;

const yearsMessage = `Durée de conservation : un nombre entier d’années entre ${RETENTION_YEARS_MIN} et ${RETENTION_YEARS_MAX}.`;

export const gdprSettingsInput = z.strictObject(
  { retentionYears: z.number({ error: yearsMessage }).int({ error: yearsMessage }).min(RETENTION_YEARS_MIN, { error: yearsMessage }).max(RETENTION_YEARS_MAX, { error: yearsMessage }) },
  { error: 'Réglages invalides : champ inconnu ou donnée mal formée.' },
);
export type GdprSettings = z.infer<typeof gdprSettingsInput>;

/** The console sends `confirm: true` only from the dialog's "Anonymiser définitivement". */
export const anonymiseInput = z.object({
  confirm: z.literal(true, { error: 'Confirmez l’anonymisation dans la fenêtre de confirmation.' }),
});

export interface GdprBalance {
  walletId: number;
  label: string;
  balanceCents: number;
}

/** What the family file needs to offer (or not) "Anonymiser". */
export interface FamilyGdprView {
  familyId: number;
  anonymisedAt: string | null;
  balances: GdprBalance[];
  /** The French refusal "Anonymiser" would answer now, or null. */
  blockedBy: string | null;
}

export interface AnonymiseResult {
  familyId: number;
  pseudonym: string;
  anonymisedAt: string;
  erased: { contacts: number; children: number; portalAccounts: number; documents: number; messages: number; auditRows: number };
}

export interface InactiveFamily {
  id: number;
  name: string;
  code: string;
  /** Last booking, sale, payment, ledger entry or sign-in (ISO instant), or the file's creation. */
  lastActivityAt: string;
  balances: GdprBalance[];
}

export interface InactiveFamiliesView {
  retentionYears: number;
  /** Families inactive since before this instant. */
  cutoff: string;
  families: InactiveFamily[];
}
