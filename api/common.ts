import { z } from 'zod';
import { checkCents, checkInteger, parseInteger, type NumberRule } from './numbers.js';
import type { DocumentStatus } from './rules.js';

/**
 * Shared pieces of the HTTP contract. Every message is French: the server sends the first
 * failing message back as `{error: {code, message}}`, and the clients show it as is.
 */

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export { STAFF_ROLES, type StaffRole } from './rules.js';

/** Route parameter or query id: "42" -> 42. */
export const idSchema = z.coerce
  .number({ error: 'Identifiant invalide.' })
  .int({ error: 'Identifiant invalide.' })
  .positive({ error: 'Identifiant invalide.' })
  .max(2_147_483_647, { error: 'Identifiant invalide.' });

// Years a periscolaire date can have (a grandparent's birth date, a far subscription end);
// beyond, date arithmetic leaves the four-digit calendar.
const MIN_DATE = '1900-01-01';
const MAX_DATE = '2199-12-31';

export const dateSchema = z
  .string({ error: 'Date manquante.' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Date invalide (format attendu : AAAA-MM-JJ).' })
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const dt = new Date(Date.UTC(y, m - 1, d));
    return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
  }, { error: 'Cette date n’existe pas.' })
  .refine((s) => s >= MIN_DATE && s <= MAX_DATE, { error: 'Date hors limites (entre 1900 et 2199).' });

/** 'YYYY-MM' of a monthly statement. */
export const monthSchema = z
  .string({ error: 'Mois manquant.' })
  .regex(/^(19|2[01])\d{2}-(0[1-9]|1[0-2])$/, { error: 'Mois invalide (format attendu : AAAA-MM, entre 1900 et 2199).' });

/** Money: integer cents, never a float. */
export const centsSchema = z
  .number({ error: 'Montant invalide.' })
  .int({ error: 'Le montant doit être en centimes entiers.' })
  .min(-100_000_000, { error: 'Montant hors limites.' })
  .max(100_000_000, { error: 'Montant hors limites.' });

export const idParams = z.object({ id: idSchema });

/** A trimmed text field with French messages naming the field; `required` refuses "". */
export const textField = (label: string, max: number, required = false) => {
  const base = z.string({ error: `${label} : texte attendu.` }).trim().max(max, { error: `${label} : ${max} caractères au maximum.` });
  return required ? base.min(1, { error: `${label} : ce champ est obligatoire.` }) : base;
};

/** ISO weekdays (1 = Monday … 7 = Sunday); callers add `.min(1)` where a day is required. */
export const weekdaysSchema = z
  .array(z.number({ error: 'Jour invalide.' }).int({ error: 'Jour invalide.' }).min(1, { error: 'Jour invalide.' }).max(7, { error: 'Jour invalide.' }), {
    error: 'Jours de la semaine attendus.',
  })
  .max(7, { error: 'Jours de la semaine invalides.' });

/** One page of a family's ledger (Mes factures and the staff's wallet tab). */
export const ledgerQuerySchema = z.object({
  walletId: idSchema.optional(),
  limit: z.coerce.number({ error: 'Nombre de lignes invalide.' }).int().min(1, { error: 'Nombre de lignes invalide.' }).max(500, { error: 'Au plus 500 lignes.' }).optional(),
  offset: z.coerce.number({ error: 'Décalage invalide.' }).int().min(0, { error: 'Décalage invalide.' }).max(1_000_000).optional(),
});

export { formatEuros } from './rules.js';

/** A filed document as both the parent (Mes documents) and the secretariat see it. */
export interface DocumentSummary {
  id: number;
  title: string;
  originalName: string;
  mimeType: string;
  sizeBytes: number;
  status: DocumentStatus;
  reviewComment: string | null;
  childFirstName: string | null;
  uploadedAt: string;
  reviewedAt: string | null;
}

export interface OkResponse {
  ok: true;
}

/**
 * A whole number of a form, as a JSON number or as the text typed ("1 250"), read by the same
 * parser as the clients (api/numbers.ts) so that the server refuses what they refuse.
 */
export const integerInput = (rule: NumberRule) =>
  z.union([z.number(), z.string()], { error: `${rule.label} : nombre entier attendu.` }).transform((v, ctx): number => {
    const parsed = typeof v === 'number' ? checkInteger(v, rule) : parseInteger(v, { ...rule, optional: false });
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });

/** The same for a number that may be left out: null, or "" typed, gives null. */
export const optionalIntegerInput = (rule: NumberRule) =>
  z.union([z.number(), z.string(), z.null()], { error: `${rule.label} : nombre entier attendu.` }).transform((v, ctx): number | null => {
    if (v === null) return null;
    const parsed = typeof v === 'number' ? checkInteger(v, rule) : parseInteger(v, { ...rule, optional: true });
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });

/** An amount of the contract: integer cents (never a float, never euros as text), named by its field. */
export const centsInput = (rule: NumberRule) =>
  z.number({ error: `${rule.label} : montant invalide.` }).transform((v, ctx): number => {
    const parsed = checkCents(v, rule);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });
