import { z } from 'zod';

/** Paramètres › Sauvegardes (admin) and the backup band every staff member sees (issue 11). */

export const backupSettingsInput = z.strictObject({
  folder: z.string({ error: 'Dossier des sauvegardes : texte attendu.' }).trim().max(1000, { error: 'Dossier des sauvegardes : 1000 caractères au plus.' }),
  // Empty: keep the passphrase already set.
  passphrase: z.string({ error: 'Phrase de passe : texte attendu.' }).max(1024, { error: 'Phrase de passe : 1024 caractères au plus.' }).optional(),
  passphraseConfirm: z.string({ error: 'Confirmer la phrase de passe : texte attendu.' }).max(1024, { error: 'Confirmer la phrase de passe : 1024 caractères au plus.' }).optional(),
}, { error: 'Réglages invalides : champ inconnu ou donnée mal formée.' });
export type BackupSettingsInput = z.infer<typeof backupSettingsInput>;

export type BackupReasonCode = 'nightly' | 'manual' | 'before-migration';

export interface BackupRunView {
  id: number;
  startedAt: string;
  reason: BackupReasonCode;
  fileName: string | null;
  sizeBytes: number | null;
  durationMs: number;
  ok: boolean;
  verified: boolean;
  /** French reason of a failure. */
  error: string | null;
}

/** Never carries the passphrase or the key: only whether one is set. */
export interface BackupScreenView {
  folder: string;
  hasPassphrase: boolean;
  running: boolean;
  runs: BackupRunView[];
}

export interface BackupStatusView {
  /** ISO time of the last verified backup, or null. */
  lastOkAt: string | null;
  /** Whole days since it (null without one). */
  daysSinceLastOk: number | null;
  /** True when the console must show its warning band. */
  warn: boolean;
}

export const BACKUP_REASON_LABELS: Record<BackupReasonCode, string> = {
  nightly: 'Nuit',
  manual: 'Manuelle',
  'before-migration': 'Avant mise à jour',
};
