import { z } from 'zod';

/** "Importer des familles": the contract of /api/staff/import/* (the console imports only the types). */

export const MAX_IMPORT_BYTES = 25 * 1024 * 1024;
export const IMPORT_TOO_LARGE_MESSAGE = 'Le fichier est trop volumineux : 25 Mo au maximum. Coupez-le en plusieurs fichiers et importez-les l’un après l’autre.';

/** The multipart form's "mapping" field: our column key for each column of the file ('' = ne pas importer). */
export const importMappingSchema = z
  .array(z.string().max(60, 'Association de colonnes invalide.'), { message: 'Association de colonnes invalide.' })
  .max(400, 'Association de colonnes invalide : 400 colonnes au maximum.');

export const welcomeLettersSchema = z
  .object({ importId: z.number().int().positive().nullable().optional() })
  .strict();

export interface ImportIssueView {
  line: number | null;
  column: string | null;
  message: string;
  severity: 'error' | 'warning';
}

export interface ImportCountsView {
  rows: number;
  familiesNew: number;
  familiesUpdated: number;
  familiesUnchanged: number;
  childrenNew: number;
  childrenUpdated: number;
  contactsNew: number;
  contactsUpdated: number;
  accountsNew: number;
  balancesNew: number;
  balancesTotalCents: number;
}

export interface ImportAnswer {
  columns: Array<{ index: number; header: string; field: string; sample: string }>;
  fields: Array<{ key: string; label: string }>;
  mappingSource: 'given' | 'saved' | 'guessed';
  report: {
    fileName: string;
    checksum: string;
    counts: ImportCountsView;
    issues: ImportIssueView[];
    errorCount: number;
    warningCount: number;
    applied: boolean;
    importId: number | null;
  };
  /** Accounts of imports still waiting for their welcome letter. */
  lettersPending: number;
}

/** Accounts of imports still waiting for their welcome letter. */
export interface ImportLettersStatus {
  pending: number;
}
